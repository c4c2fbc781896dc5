import Foundation
import SealPlugins
import Testing

/// The plugins shipped with seal load through the C ABI like any other.
@Suite("Built-in plugins: descriptors")
struct BuiltInPluginTests {
    static func registry() -> PluginRegistry {
        PluginRegistry(directories: [PluginFixtures.builtInDirectory])
    }

    @Test func theBuiltInsLoadWithoutErrors() {
        let report = Self.registry().lastReport
        #expect(report.errors.isEmpty, "errors: \(report.errors); plugins from \(PluginFixtures.builtInOrigin)")
        // Directory order, then file name.
        #expect(report.loaded.map(\.name) == ["channelwise", "dynamic-ntk", "headwise", "kv", "linear", "lines", "llama3", "niah",
                                               "ntk", "passkey", "self-extend", "yarn"])
    }

    @Test func linearDescriptor() throws {
        let info = try #require(Self.registry().plugin(named: "linear"))
        #expect(info.kind == .contextExtension)
        #expect(info.version == "1.0.0")
        #expect(info.abiVersion == "1.1")
        #expect(info.path.hasSuffix("libseal-linear.so"))
        #expect(info.description.contains("Linear position interpolation"))
        let factor = try #require(info.parameters.first)
        #expect(info.parameters.count == 1)
        #expect(factor.name == "factor")
        #expect(factor.type == .float)
        #expect(factor.defaultValue == .float(0))
        #expect(factor.minimum == 0 && factor.maximum == 1024)
        #expect(factor.description.contains("automatic"))
    }

    @Test func passkeyDescriptor() throws {
        let info = try #require(Self.registry().plugin(named: "passkey"))
        #expect(info.kind == .task)
        #expect(info.version == "2.0.0")
        #expect(info.parameters.map(\.name) == ["digits", "depth_mode", "depth", "keys"])
        #expect(info.parameters[0] == PluginParameter(name: "digits", type: .int, defaultValue: .int(5), minimum: 1,
                                                      maximum: 9, description: info.parameters[0].description))
        #expect(info.parameters[1].allowedValues == ["random", "fixed", "spread"])
        #expect(info.parameters[2].type == .float)
        #expect(info.parameters[2].defaultValue == .float(50))
        #expect(info.parameters[2].minimum == 0 && info.parameters[2].maximum == 100)
        #expect(info.parameters[3].defaultValue == .int(1))
    }

    @Test func headwiseDescriptor() throws {
        let info = try #require(Self.registry().plugin(named: "headwise"))
        #expect(info.kind == .scalingStrategy)
        #expect(info.parameters.map(\.name) == ["init", "l2"])
        #expect(info.parameters.map(\.defaultValue) == [.float(1), .float(0)])
    }

    @Test func infoIsPlainJSONForTheAPI() throws {
        let info = try #require(Self.registry().plugin(named: "linear"))
        let json = String(decoding: try JSONEncoder().encode(info), as: UTF8.self)
        #expect(json.contains(#""kind":"context-extension""#))
        #expect(json.contains(#""abiVersion":"1.1""#))
        #expect(json.contains(#""default":0"#))
        #expect(try JSONDecoder().decode(PluginInfo.self, from: Data(json.utf8)) == info)
    }

    @Test func lookupsNameTheProblem() {
        let registry = Self.registry()
        #expect(throws: PluginError.wrongKind(plugin: "linear", expected: .task, actual: .contextExtension)) {
            try registry.task(named: "linear")
        }
        #expect { try registry.scalingStrategy(named: "rowwise") } throws: { error in
            let message = "\(error)"
            return message.contains("no plugin named 'rowwise'") && message.contains("channelwise, dynamic-ntk, headwise, kv, linear, lines, llama3, niah, ntk, passkey, self-extend, yarn")
        }
    }
}
