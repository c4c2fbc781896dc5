import ArgumentParser
import Foundation
import SealAPI
import SealClient

struct ScalesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scales",
        abstract: "Manage scale sets (per-head attention multipliers).",
        subcommands: [List.self, Show.self, Create.self, Delete.self, Export.self],
        defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List scale sets.")

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await Artifacts.list(.scaleSet, global: global, empty: "no scale sets (create one with `sealctl scales create`)")
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a scale set.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "Scale-set id.")
        var id: String

        func run() async throws {
            if global.json { return printJSON(try await global.client.data(Endpoints.artifact(id))) }
            let artifact = try await Artifacts.fetch(id, kind: .scaleSet, global: global)
            let content = try await global.client.call(Endpoints.artifactContent(id, as: ScaleSetContent.self))
            var details = Artifacts.details(artifact)
            details.add("strategy", content.strategy)
            if !content.parameters.isEmpty { details.add("parameters", Format.summary(content.parameters)) }
            details.add("model", "\(content.model) (\(content.layers) layers × \(content.heads) heads × \(content.headDimension))")
            details.add("values", "\(content.values.count): " + Format.truncated(content.values.map { String(format: "%.4g", $0) }.joined(separator: " "), to: 100))
            let all = content.scales.flatMap { $0 }
            if let low = all.min(), let high = all.max() {
                details.add("multipliers", String(format: "%.4g … %.4g", low, high))
            }
            details.print()
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract: "Create a scale set with a scaling-strategy plugin.",
            discussion: """
                --values-file holds the strategy's values as a JSON array of numbers (or an object \
                with a "values" array, such as an exported scale set); without it the strategy's \
                initial values are used.
                """)

        @OptionGroup var global: GlobalOptions

        @Option(help: ArgumentHelp("Name of the scale set.", valueName: "name"))
        var name: String

        @Option(help: ArgumentHelp("Scaling-strategy plugin, e.g. headwise.", valueName: "plugin"))
        var strategy: String

        @Option(name: .customLong("values-file"), help: ArgumentHelp("JSON file with the values.", valueName: "file"), completion: .file(extensions: ["json"]))
        var valuesFile: String?

        @Option(name: .customLong("param"), help: ArgumentHelp("A parameter of the strategy plugin (repeatable).", valueName: "k=v"))
        var parameters: [String] = []

        func validate() throws {
            _ = try Parameters.parse(parameters, option: "--param")
        }

        func run() async throws {
            let extra = try Parameters.parse(parameters, option: "--param")
            let values = try valuesFile.map(Self.readValues)
            let request = CreateScaleSetRequest(name: name, strategy: strategy, parameters: extra.isEmpty ? nil : extra, values: values)
            guard let artifact = try await global.fetch(Endpoints.createScaleSet(request)) else { return }
            out("created scale set \(artifact.id) (\(artifact.name))")
        }

        static func readValues(_ path: String) throws -> [Double] {
            guard FileManager.default.fileExists(atPath: path) else { throw SealctlError.file("\(path): no such file") }
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: path))
            } catch {
                throw SealctlError.file("cannot read \(path): \(error.localizedDescription)")
            }
            let json: JSONValue
            do {
                json = try APIJSON.decode(JSONValue.self, from: data)
            } catch {
                throw SealctlError.usage("\(path) is not JSON: \(error.message)")
            }
            let list: [JSONValue]
            switch json {
            case .array(let items): list = items
            case .object(let object):
                guard case .array(let items)? = object["values"] else {
                    throw SealctlError.usage("\(path): expected an array of numbers or an object with a \"values\" array")
                }
                list = items
            default:
                throw SealctlError.usage("\(path): expected an array of numbers or an object with a \"values\" array")
            }
            return try list.enumerated().map { index, item in
                guard let number = item.doubleValue else { throw SealctlError.usage("\(path): value \(index) is not a number") }
                return number
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a scale set.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "Scale-set id.")
        var id: String

        func run() async throws { try await Artifacts.delete(id, global: global) }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "export", abstract: "Write a scale set's JSON.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var options: ExportOptions

        func run() async throws { try await Artifacts.export(options.id, to: options.output, global: global) }
    }
}
