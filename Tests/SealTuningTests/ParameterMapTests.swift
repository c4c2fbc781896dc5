import SealModel
import SealPlugins
import Testing
@testable import SealTuning

@Suite("Scale parameter map: strategy layout to head scales and back")
struct ParameterMapTests {
    let configuration = Layouts.configuration()

    @Test func headwiseParametersRepeatOverTheirHeadsChannels() throws {
        let map = try ScaleParameterMap(layout: Layouts.headwise(configuration), configuration: configuration)
        #expect(map.parameterCount == 4)
        let scales = try map.headScales([0.5, 1.5, 2, 3])
        #expect(scales.layers == [[0.5, 0.5, 0.5, 0.5, 1.5, 1.5, 1.5, 1.5], [2, 2, 2, 2, 3, 3, 3, 3]])
    }

    /// A parameter's gradient is the sum of the gradients of the channels it multiplies;
    /// channels fixed at 1 (-1 in the map) contribute nothing.
    @Test func chainRuleSumsTheMappedChannels() throws {
        var layout = Layouts.headwise(configuration)
        layout.parameterCount = 2
        layout.initialValues = [1, 1]
        // Layer 0: head 0 -> p0, head 1 -> fixed; layer 1: channels 0-1 of head 0 and all of head 1 -> p1.
        layout.map = [0, 0, 0, 0, -1, -1, -1, -1,
                      1, 1, -1, -1, 1, 1, 1, 1]
        let map = try ScaleParameterMap(layout: layout, configuration: configuration)
        let perChannel: [[Float]] = [[1, 2, 3, 4, 100, 100, 100, 100], [0.5, 0.25, 100, 100, -1, -2, -3, -4]]
        #expect(try map.parameterGradient(perChannel) == [10, 0.75 - 10])
        #expect(try map.headScales([2, 3]).layers == [[2, 2, 2, 2, 1, 1, 1, 1], [3, 3, 1, 1, 3, 3, 3, 3]])
        #expect(map.parameter(layer: 1, head: 0, channel: 2) == nil)
        #expect(map.parameter(layer: 1, head: 1, channel: 3) == 1)
    }

    /// The chain rule checked against a directional finite difference on a loss through the
    /// expanded scales: moving parameter p moves every channel mapped to it.
    @Test func chainRuleMatchesFiniteDifferencesThroughTheExpansion() throws {
        let map = try ScaleParameterMap(layout: Layouts.headwise(configuration), configuration: configuration)
        let targets: [[[Float]]] = [[[0.1, 0.9, 1.3, 0.7, 2, 1, 1, 0.5], [1, 1.2, 0.8, 1, 0.3, 0.6, 0.9, 1.2]]]
        let engine = QuadraticGradient(targets: targets)
        let sample = QuadraticGradient.samples(1)[0]
        let parameters = [1.1, 0.8, 1.3, 0.95]
        let analytic = try map.parameterGradient(try engine.lossAndGradient(for: sample, scales: try map.headScales(parameters)).perChannel)
        for p in 0..<map.parameterCount {
            var up = parameters, down = parameters
            up[p] += 1e-3
            down[p] -= 1e-3
            let numeric = (try engine.loss(for: sample, scales: try map.headScales(up))
                           - engine.loss(for: sample, scales: try map.headScales(down))) / 2e-3
            #expect(abs(numeric - analytic[p]) < 1e-3 * max(1, abs(numeric)), "parameter \(p): \(numeric) vs \(analytic[p])")
        }
    }

    @Test func penaltiesAndTheirGradients() {
        let l2 = ScaleParameterMap.penalty(ScalingRegularisation(kind: .l2, target: 1, weight: 0.5), [1.5, 0.5, 1])
        #expect(abs(l2.value - 0.25) < 1e-12)
        #expect(l2.gradient == [0.5, -0.5, 0])
        let l1 = ScaleParameterMap.penalty(ScalingRegularisation(kind: .l1, target: 1, weight: 2), [1.5, 0.5, 1])
        #expect(l1.value == 2)
        #expect(l1.gradient == [2, -2, 0])
        #expect(ScaleParameterMap.penalty(nil, [3, 4]).value == 0)
    }

    @Test func malformedLayoutsAreRefusedWithTheReason() {
        var wrongShape = Layouts.headwise(Layouts.configuration(layers: 3))
        wrongShape.strategy = "odd"
        #expect(throws: SealTuningError.self) { try ScaleParameterMap(layout: wrongShape, configuration: configuration) }
        var badIndex = Layouts.headwise(configuration)
        badIndex.map[5] = 7
        #expect { try ScaleParameterMap(layout: badIndex, configuration: configuration) } throws: { error in
            "\(error)".contains("map entry 5 is 7")
        }
        var nonFinite = Layouts.headwise(configuration)
        nonFinite.initialValues[0] = .nan
        #expect(throws: SealTuningError.self) { try ScaleParameterMap(layout: nonFinite, configuration: configuration) }
    }

    @Test func gradientsOfTheWrongShapeOrNotFiniteAreRefused() throws {
        let map = try ScaleParameterMap(layout: Layouts.channelwise(configuration), configuration: configuration)
        #expect(map.parameterCount == 16)
        #expect(throws: SealTuningError.self) { try map.parameterGradient([[1, 2]]) }
        var bad = [[Float]](repeating: [Float](repeating: 0, count: 8), count: 2)
        bad[1][3] = .infinity
        #expect(throws: SealTuningError.self) { try map.parameterGradient(bad) }
        #expect(throws: SealTuningError.self) { try map.headScales([1]) }
    }
}
