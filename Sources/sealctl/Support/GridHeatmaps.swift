import Foundation
import SealAPI

/// Grid reports as SVG heatmaps (depth rows × length columns, accuracy in percent printed in
/// each cell), the picture of where retrieval works, drawn with the shared ``SVGHeatmap``.
extension GridView {
    static func heatmap(_ report: GridReportContent) -> SVGHeatmap {
        let p = report.parameters, total = report.total
        let values = p.depths.indices.map { row in
            p.lengths.indices.map { column -> Double in
                guard let cell = report.cell(row: row, column: column), cell.result.total > 0 else { return .nan }
                return cell.result.accuracy * 100
            }
        }
        let title = "\(report.task) accuracy (%): total "
            + String(format: "%.0f%% (%d/%d, 95%% CI %.0f-%.0f%%)", total.accuracy * 100, total.correct, total.total,
                     total.low * 100, total.high * 100)
            + (report.plan.map { ", \($0)" } ?? "")
        return SVGHeatmap(title: title, rowLabels: p.depths.map(depthLabel), columnLabels: p.lengths.map(lengthLabel),
                          values: values, colorMap: .sequential, rowAxisTitle: "answer depth",
                          columnAxisTitle: "context length (tokens)", showsValues: true, valueFormat: "%.0f", range: 0...100)
    }

    static func writeHeatmap(_ report: GridReportContent, to path: String) throws {
        try heatmap(report).write(to: path)
        Terminal.standardError.line("wrote \(path)")
    }
}

extension GridView.Difference {
    /// Second minus first in accuracy points: blue where the second is worse, red where better.
    var heatmap: SVGHeatmap {
        let change = (second.total.accuracy - first.total.accuracy) * 100
        return SVGHeatmap(
            title: "\(first.task): accuracy change in points (total " + String(format: "%+.0f", change) + ")",
            rowLabels: first.parameters.depths.map(GridView.depthLabel),
            columnLabels: first.parameters.lengths.map(GridView.lengthLabel),
            values: values.map { $0.map { $0 * 100 } }, colorMap: .diverging(center: 0), rowAxisTitle: "answer depth",
            columnAxisTitle: "context length (tokens)", showsValues: true, valueFormat: "%+.0f", range: -100...100)
    }

    func writeHeatmap(to path: String) throws {
        try heatmap.write(to: path)
        Terminal.standardError.line("wrote \(path)")
    }
}
