import Foundation
import SealModel
import SealTestSupport
import Testing

/// The two extension points SEAL builds on: head scales and position encodings.
@Suite("SEAL hooks: head scales and position encodings")
struct HookTests {
    static func tinyModel() throws -> TransformerModel {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("tiny.gguf")
        try TinyModelFile(layers: 3, contextLength: 128).write(to: url)
        return try LanguageModel.load(from: url).transformer
    }

    static let prompt: [Int32] = (0..<40).map { Int32(3 + ($0 * 37) % 250) }

    func logits(_ model: TransformerModel, encoding: any PositionEncoding = StandardRoPE(),
                blockSize: Int = 256, tokens: [Int32] = HookTests.prompt) throws -> [Float] {
        let session = try InferenceSession(model: model, positionEncoding: encoding, blockSize: blockSize)
        return Array(try session.append(tokens))
    }

    func maxDifference(_ a: [Float], _ b: [Float]) -> Float {
        zip(a, b).map { abs($0 - $1) }.max() ?? 0
    }

    func randomScales(_ c: ModelConfiguration, seed: UInt64) -> HeadScales {
        var state = seed
        return HeadScales(layers: (0..<c.layerCount).map { _ in
            (0..<c.queryDimension).map { _ in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return 0.5 + Float(state >> 40) / Float(1 << 24)
            }
        })
    }

    @Test func foldedScalesEqualLiveScales() throws {
        let model = try Self.tinyModel()
        let scales = randomScales(model.configuration, seed: 7)
        let live = try logits(model.applying(scales, mode: .live))
        let folded = try logits(model.applying(scales, mode: .folded))
        let plain = try logits(model)
        #expect(maxDifference(live, folded) < 1e-5)
        #expect(maxDifference(live, plain) > 1e-3, "scales had no effect")
    }

    @Test func identityScalesChangeNothing() throws {
        let model = try Self.tinyModel()
        let identity = HeadScales.identity(for: model.configuration)
        #expect(identity.isIdentity)
        #expect(try logits(model.applying(identity, mode: .live)) == logits(model))
    }

    @Test func zeroScalesSilenceAHead() throws {
        // Scaling head 0 of every layer by 0 must equal zeroing o_proj's columns for that head.
        let model = try Self.tinyModel()
        let c = model.configuration
        let perHead = (0..<c.layerCount).map { _ in [Float(0)] + Array(repeating: 1, count: c.headCount - 1) }
        let scales = HeadScales.headWise(perHead, headDimension: c.headDimension)
        #expect(scales.layers[0].prefix(c.headDimension).allSatisfy { $0 == 0 })
        #expect(maxDifference(try logits(model.applying(scales, mode: .live)),
                              try logits(model.applying(scales, mode: .folded))) < 1e-5)
    }

    @Test func wrongScaleShapesAreRefused() throws {
        let model = try Self.tinyModel()
        #expect(throws: SealModelError.self) { try model.applying(HeadScales(layers: [[1, 2]]), mode: .live) }
        var bad = HeadScales.identity(for: model.configuration)
        bad.layers[1][0] = .nan
        #expect(throws: SealModelError.self) { try model.applying(bad, mode: .folded) }
    }

    @Test("Prefill block size does not change the result (decode = 1-row blocks)", arguments: [1, 3, 16])
    func blockSizeInvariance(blockSize: Int) throws {
        let model = try Self.tinyModel()
        #expect(maxDifference(try logits(model, blockSize: blockSize), try logits(model)) < 1e-4)
    }

    @Test func bandsWithIdentityMapsEqualPlainRoPE() throws {
        let model = try Self.tinyModel()
        let split = FixedPlan(bands: [
            PositionBand(minimumDistance: 0, maximumDistance: 4, query: .identity, key: .identity),
            PositionBand(minimumDistance: 5, maximumDistance: 20, query: .identity, key: .identity),
            PositionBand(minimumDistance: 21, maximumDistance: nil, query: .identity, key: .identity),
        ])
        #expect(maxDifference(try logits(model, encoding: split, blockSize: 7), try logits(model)) < 1e-4)
    }

    @Test func groupedBandsChangeOnlyFarAttention() throws {
        // Self-Extend shape: distances < W use true positions, the rest floor(p / G) (+ W - W/G for queries).
        let model = try Self.tinyModel()
        let w = 8, g = 4
        let selfExtend = FixedPlan(bands: [
            PositionBand(minimumDistance: 0, maximumDistance: w - 1, query: .identity, key: .identity),
            PositionBand(minimumDistance: w, maximumDistance: nil,
                         query: PositionTransform(divisor: g, offset: w - w / g), key: PositionTransform(divisor: g)),
        ])
        // A prompt no longer than W never reaches the grouped band.
        let short = Array(Self.prompt.prefix(w))
        #expect(maxDifference(try logits(model, encoding: selfExtend, tokens: short), try logits(model, tokens: short)) < 1e-5)
        // A longer one does, and block size still does not matter.
        let grouped = try logits(model, encoding: selfExtend)
        #expect(maxDifference(grouped, try logits(model)) > 1e-4)
        #expect(maxDifference(grouped, try logits(model, encoding: selfExtend, blockSize: 5)) < 1e-4)
    }

    @Test func malformedPlansAreRefused() throws {
        let model = try Self.tinyModel()
        let gap = FixedPlan(bands: [
            PositionBand(minimumDistance: 0, maximumDistance: 4, query: .identity, key: .identity),
            PositionBand(minimumDistance: 6, maximumDistance: nil, query: .identity, key: .identity),
        ])
        #expect { try InferenceSession(model: model, positionEncoding: gap) } throws: { error in
            "\(error)".contains("bands must cover all distances")
        }
        #expect { try InferenceSession(model: model, positionEncoding: FixedPlan(frequencies: [1])) } throws: { error in
            "\(error)".contains("inverse frequencies")
        }
    }

    @Test func capacityBeyondTheWindowIsRefused() throws {
        let model = try Self.tinyModel()
        #expect { try InferenceSession(model: model, capacity: 129) } throws: { error in
            "\(error)".contains("context window is 128")
        }
    }
}

/// A position encoding with a fixed plan, for testing the transformer's side of the hook.
struct FixedPlan: PositionEncoding {
    var bands: [PositionBand] = [.all]
    var frequencies: [Double]?
    var name: String { "fixed" }

    func plan(for rope: RoPEParameters, sequenceLength: Int) throws(SealModelError) -> PositionEncodingPlan {
        PositionEncodingPlan(inverseFrequencies: frequencies ?? rope.baseInverseFrequencies, bands: bands)
    }

    func effectiveContextLength(for rope: RoPEParameters) -> Int { rope.trainedContextLength }
}
