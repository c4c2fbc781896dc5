import Foundation
import SealAPI
import SealClient

/// Grid reports as text tables (depth rows × length columns) and differences of two grids.
enum GridView {
    static func fetch(_ id: String, global: GlobalOptions) async throws -> GridReportContent {
        _ = try await Artifacts.fetch(id, kind: .gridReport, global: global)
        return try await global.client.call(Endpoints.artifactContent(id, as: GridReportContent.self))
    }

    static func lengthLabel(_ length: Int) -> String {
        length >= 1000 && length % 100 == 0 ? (length % 1000 == 0 ? "\(length / 1000)K" : String(format: "%.1fK", Double(length) / 1000)) : "\(length)"
    }

    static func depthLabel(_ depth: Double) -> String {
        depth == depth.rounded() ? "\(Int(depth))%" : String(format: "%.1f%%", depth)
    }

    /// An empty depth × length table: one row per depth, one right-aligned column per length.
    static func emptyTable(_ p: GridJobParameters) -> Table {
        Table(["DEPTH \\ TOKENS"] + p.lengths.map(lengthLabel), alignments: [.left] + Array(repeating: .right, count: p.lengths.count))
    }

    /// Accuracy per cell with its count, and the total with its 95% interval.
    static func table(_ report: GridReportContent) -> String {
        let p = report.parameters
        var table = emptyTable(p)
        for (row, depth) in p.depths.enumerated() {
            table.add([depthLabel(depth)] + p.lengths.indices.map { column in
                guard let cell = report.cell(row: row, column: column), cell.result.total > 0 else { return "-" }
                return "\(Format.percent(cell.result.accuracy)) (\(cell.result.correct)/\(cell.result.total))"
            })
        }
        let total = report.total
        var lines = [table.rendered().trimmingCharacters(in: .newlines)]
        lines.append("task \(report.task) \(report.taskVersion), \(p.samplesPerCell) samples per cell"
                     + (p.scaleSet.map { ", scale set \($0)" } ?? "") + (report.plan.map { ", plan \($0)" } ?? ""))
        lines.append("total \(Format.percent(total.accuracy)) (\(total.correct)/\(total.total)), "
                     + "95% interval \(Format.percent(total.low))-\(Format.percent(total.high))")
        return lines.joined(separator: "\n")
    }

    /// Cell-by-cell accuracy of a second grid minus a first one on the same lengths and depths.
    struct Difference {
        let first: GridReportContent
        let second: GridReportContent
        /// `values[row][column]` = second - first, nan where either cell is empty.
        let values: [[Double]]

        init(_ first: GridReportContent, _ second: GridReportContent) throws(SealctlError) {
            guard first.parameters.lengths == second.parameters.lengths, first.parameters.depths == second.parameters.depths else {
                throw SealctlError.usage("the two grids have different lengths or depths; compare grids made with the same --lengths and --depths")
            }
            self.first = first
            self.second = second
            values = first.parameters.depths.indices.map { row in
                first.parameters.lengths.indices.map { column in
                    guard let a = first.cell(row: row, column: column), let b = second.cell(row: row, column: column),
                          a.result.total > 0, b.result.total > 0 else { return .nan }
                    return b.result.accuracy - a.result.accuracy
                }
            }
        }

        /// `values` for `--json`: JSON has no nan, so an empty cell is `null` (encoding nan throws).
        var jsonValues: [[Double?]] { values.map { $0.map { $0.isNaN ? nil : $0 } } }

        func table() -> String {
            var table = GridView.emptyTable(first.parameters)
            for (row, depth) in first.parameters.depths.enumerated() {
                table.add([GridView.depthLabel(depth)] + values[row].map { $0.isNaN ? "-" : String(format: "%+.0f", $0 * 100) })
            }
            let change = second.total.accuracy - first.total.accuracy
            return table.rendered().trimmingCharacters(in: .newlines) + "\n"
                + "total \(Format.percent(first.total.accuracy)) -> \(Format.percent(second.total.accuracy)) ("
                + String(format: "%+.1f points", change * 100) + ")"
        }
    }
}
