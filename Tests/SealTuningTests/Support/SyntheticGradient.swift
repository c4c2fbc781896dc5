import SealModel
import SealPlugins
@testable import SealTuning

/// A stand-in for the backward pass with a known optimum: sample `i`'s loss is
/// `Σ_c w_c (s_c - t_{i,c})²` over every channel `c`, so its gradient is exact and cheap.
struct QuadraticGradient: ScaleGradientComputing, AnswerLossComputing {
    /// Targets per sample, `[sample][layer][channel]` flattened per layer.
    var targets: [[[Float]]]
    var weight: Float = 1

    func index(of sample: TuningSample) -> Int { Int(sample.tokens[0]) }

    func loss(for sample: TuningSample, scales: HeadScales) throws(SealTuningError) -> Double {
        let target = targets[index(of: sample)]
        var total = 0.0
        for (layer, row) in scales.layers.enumerated() {
            for (c, s) in row.enumerated() { total += Double(weight * (s - target[layer][c]) * (s - target[layer][c])) }
        }
        return total
    }

    func lossAndGradient(for sample: TuningSample, scales: HeadScales) throws(SealTuningError) -> ScaleGradient {
        let target = targets[index(of: sample)]
        let gradient = scales.layers.enumerated().map { layer, row in
            row.enumerated().map { c, s in 2 * weight * (s - target[layer][c]) }
        }
        return ScaleGradient(loss: try loss(for: sample, scales: scales), answerTokenCount: 1, perChannel: gradient)
    }

    /// Samples whose first token names their target row.
    static func samples(_ count: Int) -> [TuningSample] {
        (0..<count).map { TuningSample(tokens: [Int32($0), 1, 2], answerStart: 2) }
    }
}

/// Central finite differences of a forward-only loss with respect to every channel scale:
/// an independent gradient (no backward pass involved) for small models.
struct FiniteDifferenceGradient: ScaleGradientComputing {
    var loss: any AnswerLossComputing
    var step: Float = 1e-2

    func lossAndGradient(for sample: TuningSample, scales: HeadScales) throws(SealTuningError) -> ScaleGradient {
        var perChannel = scales.layers.map { [Float](repeating: 0, count: $0.count) }
        for layer in scales.layers.indices {
            for channel in scales.layers[layer].indices {
                var up = scales, down = scales
                up.layers[layer][channel] += step
                down.layers[layer][channel] -= step
                let difference = try loss.loss(for: sample, scales: up) - loss.loss(for: sample, scales: down)
                perChannel[layer][channel] = Float(difference / Double(2 * step))
            }
        }
        return ScaleGradient(loss: try loss.loss(for: sample, scales: scales),
                             answerTokenCount: sample.tokens.count - sample.answerStart, perChannel: perChannel)
    }
}

/// Layouts built by hand (the plugins' own layouts are tested in SealPluginsTests).
enum Layouts {
    static func configuration(layers: Int = 2, heads: Int = 2, headDimension: Int = 4) -> ModelConfiguration {
        ModelConfiguration(layerCount: layers, modelDimension: heads * headDimension, headCount: heads, keyValueHeadCount: 1,
                           headDimension: headDimension, feedForwardDimension: 16, vocabularySize: 259,
                           trainedContextLength: 64, ropeTheta: 10_000)
    }

    static func headwise(_ c: ModelConfiguration, regularisation: ScalingRegularisation? = nil) -> ScalingLayout {
        let count = c.layerCount * c.headCount
        let map = (0..<count).flatMap { Array(repeating: Int32($0), count: c.headDimension) }
        return ScalingLayout(strategy: "headwise", layerCount: c.layerCount, headCount: c.headCount, headDimension: c.headDimension,
                             parameterCount: count, initialValues: Array(repeating: 1, count: count), map: map,
                             regularisation: regularisation)
    }

    static func channelwise(_ c: ModelConfiguration) -> ScalingLayout {
        let count = c.layerCount * c.headCount * c.headDimension
        return ScalingLayout(strategy: "channelwise", layerCount: c.layerCount, headCount: c.headCount, headDimension: c.headDimension,
                             parameterCount: count, initialValues: Array(repeating: 1, count: count),
                             map: (0..<count).map { Int32($0) }, regularisation: nil)
    }
}
