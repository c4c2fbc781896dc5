import Foundation
import Testing
@testable import SealConfig

/// `model.weights`: f32 by default, one of the known storages when given.
@Suite("Weight storage key")
struct WeightStorageKeyTests {
    @Test func f32ByDefaultAndReadWhenGiven() throws {
        #expect(SealdConfiguration().model.weights == .f32)
        for storage in SealdConfiguration.Model.Weights.allCases {
            #expect(try SealdConfiguration.parse(yaml: "model:\n  weights: \(storage.rawValue)\n", source: "x.yaml")
                .model.weights == storage)
        }
    }

    @Test func unknownStoragesAreRefusedWithTheChoices() {
        for value in ["q4_0", "F32", "fp32", "null", "[bf16]", "8"] {
            do {
                _ = try SealdConfiguration.parse(yaml: "model:\n  weights: \(value)\n", source: "x.yaml")
                Issue.record("accepted \(value)")
            } catch {
                #expect(error.keyPath == "model.weights")
                #expect(error.description.contains("one of f32, bf16, q8_0"), "\(error)")
            }
        }
    }

    @Test func theShippedConfigurationStatesTheDefault() throws {
        let file = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("etc/seald.yaml")
        let shipped = try SealdConfiguration.load(from: file)
        #expect(shipped.model.weights == .f32)
    }
}
