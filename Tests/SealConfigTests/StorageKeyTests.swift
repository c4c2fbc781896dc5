import Foundation
import Testing
@testable import SealConfig

/// `model.weights` (f32 by default) and `model.kv_cache` (auto by default: f16 only beyond the
/// trained window): each is one of its known spellings when given, anything else is refused
/// naming the key and the choices, and the shipped seald.yaml states the default.
@Suite("Weight storage and KV cache keys")
struct StorageKeyTests {
    typealias Model = SealdConfiguration.Model

    /// Parses `model:\n  key: value` and reads the field back.
    static func parse<Value>(_ key: String, _ value: String, _ field: KeyPath<Model, Value>) throws(ConfigurationError) -> Value {
        try SealdConfiguration.parse(yaml: "model:\n  \(key): \(value)\n", source: "x.yaml").model[keyPath: field]
    }

    static func checkRefusals<Value>(_ key: String, _ field: KeyPath<Model, Value>, values: [String], choices: String) {
        for value in values {
            do throws(ConfigurationError) {
                _ = try parse(key, value, field)
                Issue.record("\(key) accepted \(value)")
            } catch {
                #expect(error.keyPath == "model.\(key)")
                #expect(error.description.contains("one of \(choices)"), "\(error)")
            }
        }
    }

    static func shipped() throws -> SealdConfiguration {
        let file = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("etc/seald.yaml")
        return try SealdConfiguration.load(from: file)
    }

    @Test func weightsAreF32ByDefaultAndReadWhenGiven() throws {
        #expect(SealdConfiguration().model.weights == .f32)
        for storage in Model.Weights.allCases { #expect(try Self.parse("weights", storage.rawValue, \.weights) == storage) }
        Self.checkRefusals("weights", \.weights, values: ["q4_0", "F32", "fp32", "null", "[bf16]", "8"], choices: "f32, bf16, q8_0")
        #expect(try Self.shipped().model.weights == .f32)
    }

    @Test func theKVCacheIsAutoByDefaultAndReadWhenGiven() throws {
        #expect(SealdConfiguration().model.kvCache == .auto)
        for cache in Model.KVCache.allCases { #expect(try Self.parse("kv_cache", cache.rawValue, \.kvCache) == cache) }
        Self.checkRefusals("kv_cache", \.kvCache, values: ["q8_0", "F16", "fp16", "null", "[f16]", "16"], choices: "f32, f16, auto")
        #expect(try Self.shipped().model.kvCache == .auto)
    }
}
