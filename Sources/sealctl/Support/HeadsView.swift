import Foundation
import SealAPI
import SealClient

/// Head-analysis reports as text (baseline, most helpful and most harmful heads) and pictures
/// (a layer × head heatmap of one length's loss change, the quadrant scatter of both lengths).
enum HeadsView {
    /// Which loss change orders the heads.
    enum Ranking: String, CaseIterable {
        case mean, short, long

        func key(_ effect: HeadReportContent.HeadEffect) -> Double {
            switch self {
            case .mean: effect.lossChange.reduce(0, +) / Double(max(1, effect.lossChange.count))
            case .short: effect.lossChange.first ?? .nan
            case .long: effect.lossChange.last ?? .nan
            }
        }
    }

    static func fetch(_ id: String, global: GlobalOptions) async throws -> HeadReportContent {
        _ = try await Artifacts.fetch(id, kind: .headReport, global: global)
        let report = try await global.client.call(Endpoints.artifactContent(id, as: HeadReportContent.self))
        try check(report)
        return report
    }

    /// Checks the shape before indexing: a report is a file someone could have edited.
    static func check(_ report: HeadReportContent) throws(SealctlError) {
        guard report.lengths.count == 2, report.effects.allSatisfy({ $0.lossChange.count == 2 && $0.accuracyChange.count == 2 }) else {
            throw SealctlError.usage("the head report does not hold two lengths for every head")
        }
        guard (1...10_000).contains(report.layerCount), (1...10_000).contains(report.headCount),
              report.effects.allSatisfy({ (0..<report.layerCount).contains($0.layer) && (0..<report.headCount).contains($0.head) }) else {
            throw SealctlError.usage("the head report names heads outside its \(report.layerCount) layers × \(report.headCount) heads")
        }
    }

    /// Heads sorted from the most helpful (zeroing raises the loss most) to the most harmful.
    static func ranked(_ report: HeadReportContent, by ranking: Ranking) -> [HeadReportContent.HeadEffect] {
        report.effects.filter { ranking.key($0).isFinite }.sorted { ranking.key($0) > ranking.key($1) }
    }

    static func lengthLabel(_ report: HeadReportContent, _ index: Int) -> String {
        GridView.lengthLabel(report.lengths[index].length)
    }

    /// The report's facts and the `top` most helpful and most harmful heads.
    static func text(_ report: HeadReportContent, top: Int, by ranking: Ranking) -> String {
        var lines: [String] = []
        let p = report.parameters
        lines.append("task \(report.task) \(report.taskVersion), \(p.samples) samples per length, \(report.effects.count) of "
                     + "\(report.layerCount * report.headCount) heads (\(report.layerCount) layers × \(report.headCount))"
                     + (p.scaleSet.map { ", scale set \($0)" } ?? "") + (report.plan.map { ", plan \($0)" } ?? ""))
        for summary in report.lengths {
            lines.append(String(format: "baseline at %d tokens (mean prompt %d): answer loss %.4f, accuracy %@ (%d/%d)",
                                summary.length, summary.meanPromptTokens, summary.loss, Format.percent(summary.accuracy.accuracy),
                                summary.accuracy.correct, summary.accuracy.total))
        }
        lines.append(String(format: "one head costs %.1f s (%d samples)", report.secondsPerHead, 2 * p.samples))
        let order = ranked(report, by: ranking)
        let count = min(top, order.count / 2 + order.count % 2)
        if count > 0 {
            lines.append("")
            lines.append("MOST HELPFUL: zeroing the head raises the answer loss (ranked by \(ranking.rawValue) loss change)")
            lines.append(table(report, Array(order.prefix(count))))
            lines.append("")
            lines.append("MOST HARMFUL: zeroing the head lowers the answer loss")
            lines.append(table(report, Array(order.suffix(min(top, order.count - count)).reversed())))
        }
        return lines.joined(separator: "\n")
    }

    static func table(_ report: HeadReportContent, _ heads: [HeadReportContent.HeadEffect]) -> String {
        let short = lengthLabel(report, 0), long = lengthLabel(report, 1)
        var table = Table("#", "LAYER", "HEAD", "ΔLOSS \(short)", "ΔLOSS \(long)", "ΔACC \(short)", "ΔACC \(long)",
                          alignments: [.right, .right, .right, .right, .right, .right, .right])
        for (rank, effect) in heads.enumerated() {
            table.add("\(rank + 1)", "\(effect.layer)", "\(effect.head)",
                      String(format: "%+.4f", effect.lossChange[0]), String(format: "%+.4f", effect.lossChange[1]),
                      String(format: "%+.0f pt", effect.accuracyChange[0] * 100), String(format: "%+.0f pt", effect.accuracyChange[1] * 100))
        }
        return table.rendered().trimmingCharacters(in: .newlines)
    }

    /// Layer × head heatmap of the loss change at length `index` (red: the head helps).
    static func heatmap(_ report: HeadReportContent, length index: Int) -> SVGHeatmap {
        var values = Array(repeating: Array(repeating: Double.nan, count: report.headCount), count: report.layerCount)
        for effect in report.effects { values[effect.layer][effect.head] = effect.lossChange[index] }
        let summary = report.lengths[index]
        let title = "\(report.task), \(summary.length) tokens: Δ answer loss with the head zeroed "
            + String(format: "(baseline %.3f, accuracy %.0f%%)", summary.loss, summary.accuracy.accuracy * 100)
        return SVGHeatmap(title: title, rowLabels: (0..<report.layerCount).map(String.init),
                          columnLabels: (0..<report.headCount).map(String.init), values: values, colorMap: .diverging(center: 0),
                          rowAxisTitle: "layer", columnAxisTitle: "head", legendTitle: "Δ loss (nats)",
                          showsValues: report.headCount <= 16, valueFormat: "%+.2f")
    }

    /// Each head at (loss change at the short length, at the long one), coloured by layer.
    static func scatter(_ report: HeadReportContent, labelled: Int = 8) -> SVGQuadrantScatter {
        let short = report.lengths[0].length, long = report.lengths[1].length
        return SVGQuadrantScatter(
            title: "\(report.task): answer-loss change when a head is zeroed, \(short) vs \(long) tokens",
            xAxisTitle: "Δ loss at \(short) tokens (nats; > 0: the head helps)",
            yAxisTitle: "Δ loss at \(long) tokens (nats; > 0: the head helps)", legendTitle: "layer",
            groupCount: report.layerCount,
            points: report.effects.map { .init(x: $0.lossChange[0], y: $0.lossChange[1], label: "L\($0.layer).H\($0.head)", group: $0.layer) },
            quadrants: (topRight: "helps at both lengths", topLeft: "helps only when long",
                        bottomLeft: "harms at both lengths", bottomRight: "helps only when short"),
            labelled: labelled)
    }
}
