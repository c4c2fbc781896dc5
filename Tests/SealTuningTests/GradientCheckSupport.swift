import Foundation
import SealModel
import SealTestSupport
import SealTokenizer
@testable import SealTuning

/// Models, plans and samples shared by the gradient checks.
enum GradientCheck {
    static func fixture(_ relative: String) -> URL {
        PackagePaths.root.appendingPathComponent("Tests/Fixtures").appendingPathComponent(relative)
    }

    static func tinyModel(_ name: String) throws -> TransformerModel {
        try LanguageModel.load(from: fixture("hf/\(name)")).transformer
    }

    /// Plain RoPE, or Self-Extend with group `G` and neighbour window `W`: distances below `W`
    /// keep their positions, farther ones use `j / G` for keys and `i / G + W - W / G` for queries.
    static func plan(for model: TransformerModel, selfExtend: (group: Int, window: Int)?) -> PositionEncodingPlan {
        let frequencies = model.ropeParameters.baseInverseFrequencies
        guard let (g, w) = selfExtend else { return PositionEncodingPlan(inverseFrequencies: frequencies) }
        return PositionEncodingPlan(inverseFrequencies: frequencies, bands: [
            PositionBand(minimumDistance: 0, maximumDistance: w - 1, query: .identity, key: .identity),
            PositionBand(minimumDistance: w, maximumDistance: nil,
                         query: PositionTransform(divisor: g, offset: w - w / g), key: PositionTransform(divisor: g)),
        ])
    }

    /// Deterministic pseudo-random numbers in [0, 1).
    struct Generator {
        var state: UInt64
        mutating func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
    }

    static func sample(vocabulary: Int, count: Int, answerStart: Int, seed: UInt64) -> TuningSample {
        var generator = Generator(state: seed)
        let tokens = (0..<count).map { _ in TokenID(Int(generator.next() * Double(vocabulary)) % vocabulary) }
        return TuningSample(tokens: tokens, answerStart: answerStart)
    }

    /// Scales spread over [0.6, 1.4] so that every multiplication by a scale matters.
    static func scales(for configuration: ModelConfiguration, seed: UInt64) -> HeadScales {
        var generator = Generator(state: seed)
        return HeadScales(layers: (0..<configuration.layerCount).map { _ in
            (0..<configuration.queryDimension).map { _ in Float(0.6 + 0.8 * generator.next()) }
        })
    }

    /// Largest |a - b| relative to the largest |b|.
    static func relativeError(_ a: [Double], _ b: [Double]) -> Double {
        let scale = b.map(abs).max() ?? 0
        let worst = zip(a, b).map { abs($0 - $1) }.max() ?? .infinity
        return worst / max(scale, 1e-30)
    }
}
