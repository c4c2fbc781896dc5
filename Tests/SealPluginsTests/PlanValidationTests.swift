import Foundation
import SealModel
import SealPlugins
import Testing

/// What the host accepts from a context-extension plugin's plan, including bands
/// (Self-Extend's shape) and the failures it turns into clear errors.
@Suite("Context-extension plans from plugins")
struct PlanValidationTests {
    static let rope = RoPEParameters(theta: 10_000, rotaryDimensions: 8, headDimension: 8, trainedContextLength: 1024)

    static func plan(_ body: String) throws -> PluginPlan {
        let directory = try PluginFixtures.temporaryDirectory("plan")
        defer { try? FileManager.default.removeItem(at: directory) }
        try PluginFixtures.compile(TestPlanPluginSource(body: body).text, to: directory.appendingPathComponent("planner.so"))
        let plugin = try PluginRegistry(directories: [directory]).contextExtension(named: "planner")
        return try plugin.plan(for: rope, sequenceLength: 4096)
    }

    @Test func selfExtendBandsCrossTheABI() throws {
        // Group size G = 4, neighbour window W = 256: reach (L - W) * G + W.
        let result = try Self.plan("""
            plan->bands[0] = (seal_position_band){ 0, 255, 1, 0, 1, 0 };
            plan->bands[1] = (seal_position_band){ 256, -1, 4, 256 - 256 / 4, 4, 0 };
            plan->band_count = 2;
            plan->effective_context = (request->trained_context - 256) * 4 + 256;
            return SEAL_OK;
            """)
        #expect(result.plan.bands == [
            PositionBand(minimumDistance: 0, maximumDistance: 255, query: .identity, key: .identity),
            PositionBand(minimumDistance: 256, maximumDistance: nil, query: PositionTransform(divisor: 4, offset: 192),
                         key: PositionTransform(divisor: 4)),
        ])
        #expect(result.effectiveContextLength == (1024 - 256) * 4 + 256)
        #expect(result.plan.inverseFrequencies == Self.rope.baseInverseFrequencies)
        #expect(result.label == "planner")
    }

    @Test func aPlanWithAGapIsRefusedAsThePluginsBug() throws {
        #expect { try Self.plan("""
            plan->bands[0] = (seal_position_band){ 0, 10, 1, 0, 1, 0 };
            plan->bands[1] = (seal_position_band){ 20, -1, 1, 0, 1, 0 };
            plan->band_count = 2;
            return SEAL_OK;
            """) } throws: { error in
            guard case .invalidOutput(let plugin, let operation, let reason) = error as? PluginError else { return false }
            return plugin == "planner" && operation == "plan" && reason.contains("bands must cover all distances")
        }
    }

    @Test func nonPositiveFrequenciesAndTooManyBandsAreRefused() throws {
        #expect { try Self.plan("plan->inverse_frequencies[1] = -1.0; return SEAL_OK;") } throws: { error in
            "\(error)".contains("inverse frequencies must be finite and positive")
        }
        #expect { try Self.plan("plan->band_count = 99; return SEAL_OK;") } throws: { error in
            "\(error)".contains("band_count 99 exceeds")
        }
        #expect { try Self.plan("plan->effective_context = 0; return SEAL_OK;") } throws: { error in
            "\(error)".contains("effective context 0")
        }
    }

    @Test func aPluginErrorCarriesItsStatusAndMessage() throws {
        #expect(throws: PluginError.pluginFailed(plugin: "planner", operation: "plan", status: 3,
                                                 message: "planner: rotary dims 8 are not supported")) {
            try Self.plan("""
                return seal_error(error, error_capacity, SEAL_ERROR_UNSUPPORTED, "planner: rotary dims 8 are not supported");
                """)
        }
    }

    @Test func aFailingPlanSurfacesAsAPositionEncodingErrorInSessions() throws {
        let directory = try PluginFixtures.temporaryDirectory("session")
        defer { try? FileManager.default.removeItem(at: directory) }
        try PluginFixtures.compile(TestPlanPluginSource(body: "plan->inverse_frequencies[0] = 0; return SEAL_OK;").text,
                                   to: directory.appendingPathComponent("planner.so"))
        let encoding = try PluginRegistry(directories: [directory]).contextExtension(named: "planner").positionEncoding()
        let model = try TinyModel.load().transformer
        #expect { try InferenceSession(model: model, positionEncoding: encoding) } throws: { error in
            let message = "\(error)"
            return message.contains("invalid position encoding") && message.contains("plugin 'planner'")
        }
    }
}
