import Foundation
import SealPlugins
import Testing

/// Parameter values as they arrive from JSON bodies and YAML configuration.
@Suite("Plugin parameter values")
struct ParameterValueTests {
    @Test func jsonScalarsKeepTheirTypes() throws {
        let json = #"{"factor": 4, "scale": 2.5, "mode": "head", "on": true}"#
        let values = try JSONDecoder().decode([String: PluginParameterValue].self, from: Data(json.utf8))
        #expect(values == ["factor": .int(4), "scale": .float(2.5), "mode": .string("head"), "on": .bool(true)])
        let again = try JSONDecoder().decode([String: PluginParameterValue].self, from: JSONEncoder().encode(values))
        #expect(again == values)
    }

    @Test func arraysAndObjectsAreNotParameterValues() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([String: PluginParameterValue].self, from: Data(#"{"x": [1]}"#.utf8))
        }
    }

    @Test func errorsReadWell() {
        #expect("\(PluginError.unknownParameter(plugin: "linear", parameter: "scale", known: ["factor"]))"
            == "plugin 'linear' has no parameter 'scale' (it takes: factor)")
        #expect("\(PluginError.wrongParameterType(plugin: "linear", parameter: "factor", expected: .float, given: "x"))"
            == "plugin 'linear': parameter 'factor' must be a float, got string \"x\"")
        #expect(PluginError.unknownParameter(plugin: "linear", parameter: "scale", known: []).parameter == "scale")
        #expect(PluginError.notFound(name: "yarn", available: []).plugin == "yarn")
    }
}
