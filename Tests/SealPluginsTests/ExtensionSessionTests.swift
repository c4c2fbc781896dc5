import Foundation
import SealModel
import SealPlugins
import SealTokenizer
import Testing

/// Every context-extension plugin in a real `InferenceSession` on the tiny model: the KV
/// cache stays exact (a short prompt after a long one, token-by-token decoding against one
/// prefill) and neutral settings leave the plain kernel's output bit for bit.
@Suite("Context-extension plugins in a session")
struct ExtensionSessionTests {
    static let registry = PluginRegistry(directories: [PluginFixtures.builtInDirectory])

    /// Each method with settings that reach past the tiny model's 64 positions.
    static let methods: [(String, [String: PluginParameterValue])] = [
        ("linear", ["factor": .float(2)]),
        ("ntk", ["factor": .float(2)]),
        ("dynamic-ntk", [:]),
        ("yarn", ["factor": .float(2)]),
        ("llama3", ["factor": .float(2), "original_max_position_embeddings": .int(64)]),
        ("self-extend", ["group": .int(2), "window": .int(8)]),
    ]
    static let target = 112
    static let long: [TokenID] = (0..<100).map { TokenID(3 + ($0 * 37) % 250) }
    static let short: [TokenID] = (0..<20).map { TokenID(5 + ($0 * 11) % 240) }

    static func encoding(_ name: String, _ parameters: [String: PluginParameterValue]) throws -> PluginPositionEncoding {
        try registry.contextExtension(named: name).positionEncoding(parameters: parameters, targetLength: target)
    }

    static func maxDifference(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).map { abs($0 - $1) }.max() ?? .infinity }

    @Test("A short prompt after a long one equals a fresh session", arguments: methods.map(\.0))
    func shortAfterLong(method: String) throws {
        let model = try TinyModel.load().transformer
        let parameters = try #require(Self.methods.first { $0.0 == method }?.1)
        let reused = try InferenceSession(model: model, capacity: Self.target, positionEncoding: Self.encoding(method, parameters))
        _ = try reused.append(Self.long)
        reused.reset()
        let after = Array(try reused.append(Self.short))
        let fresh = try InferenceSession(model: model, capacity: Self.target, positionEncoding: Self.encoding(method, parameters))
        #expect(after == Array(try fresh.append(Self.short)), "\(method): stale cache state changed the logits")
        #expect(reused.plan == fresh.plan)
    }

    /// Decoding one token at a time uses the single-query path over the cached keys; a
    /// prefill attends blocks of queries. Same positions, same plan: equal up to float32
    /// summation order (tiny-model logits are below 10; bound 2e-5).
    @Test("Token-by-token decoding equals prefilling at once", arguments: methods.map(\.0))
    func decodeEqualsPrefill(method: String) throws {
        let model = try TinyModel.load().transformer
        let parameters = try #require(Self.methods.first { $0.0 == method }?.1)
        let encoding = try Self.encoding(method, parameters)
        let positions = [7, 8, 9, 40, 63, 64, 99]
        let prefill = try InferenceSession(model: model, capacity: Self.target, positionEncoding: encoding, blockSize: 256)
        let expected = try prefill.evaluate(Self.long, logitsAt: positions)
        let blocks = try InferenceSession(model: model, capacity: Self.target, positionEncoding: encoding, blockSize: 3)
        let blocked = try blocks.evaluate(Self.long, logitsAt: positions)
        let decoder = try InferenceSession(model: model, capacity: Self.target, positionEncoding: encoding)
        var decoded: [[Float]] = []
        for (index, token) in Self.long.enumerated() {
            let row = Array(try decoder.decode(token))
            if positions.contains(index) { decoded.append(row) }
        }
        for (k, position) in positions.enumerated() {
            #expect(Self.maxDifference(decoded[k], expected[k]) <= 2e-5, "\(method) decode @\(position)")
            #expect(Self.maxDifference(blocked[k], expected[k]) <= 2e-5, "\(method) blocks of 3 @\(position)")
        }
        // The method matters at these lengths (the test can fail).
        let plain = try InferenceSession(model: model, capacity: 64).evaluate(Array(Self.long.prefix(64)), logitsAt: [63])
        #expect(Self.maxDifference(plain[0], expected[4]) > 1e-4, "\(method) changed nothing")
    }

    /// Settings that describe plain RoPE run the plain kernel's arithmetic: bit-identical logits.
    @Test func neutralSettingsAreBitIdenticalToPlainRoPE() throws {
        let model = try TinyModel.load().transformer
        let tokens = Array(Self.long.prefix(60))
        let plain = try InferenceSession(model: model).evaluate(tokens, logitsAt: [0, 30, 59])
        let neutral: [(String, [String: PluginParameterValue])] = [
            ("linear", ["factor": .float(1)]), ("ntk", ["factor": .float(1)]), ("dynamic-ntk", [:]),
            ("llama3", ["factor": .float(1)]), ("self-extend", ["group": .int(1), "window": .int(8)]),
        ]
        for (name, parameters) in neutral {
            let encoding = try Self.registry.contextExtension(named: name).positionEncoding(parameters: parameters)
            let session = try InferenceSession(model: model, capacity: 64, positionEncoding: encoding)
            #expect(try session.evaluate(tokens, logitsAt: [0, 30, 59]) == plain, "\(name) \(parameters)")
        }
        // Two bands, but no distance reaches the grouped one: the neighbour keys are derived from
        // the cached grouped keys by a second rotation, equal to plain RoPE up to float32 rounding.
        let encoding = try Self.registry.contextExtension(named: "self-extend")
            .positionEncoding(parameters: ["group": .int(4), "window": .int(60)])
        let twoBands = try InferenceSession(model: model, capacity: 64, positionEncoding: encoding)
            .evaluate(tokens, logitsAt: [0, 30, 59])
        for (a, b) in zip(twoBands, plain) { #expect(Self.maxDifference(a, b) <= 2e-5) }
    }
}
