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
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Show a scale set: its largest and smallest heads, optionally as a heatmap.",
            discussion: """
                Per head: the multiplier of a head-wise set; the mean and range of the head's \
                channels for a channel-wise one. --svg writes a layer × head heatmap (white at 1, \
                red above, blue below).
                """)

        @OptionGroup var global: GlobalOptions

        @Argument(help: "Scale-set id.")
        var id: String

        @Option(help: ArgumentHelp("How many of the largest and smallest heads to list.", valueName: "n"))
        var top: Int = 8

        @Option(help: ArgumentHelp("Write a layer × head heatmap to this SVG file.", valueName: "file"),
                completion: .file(extensions: ["svg"]))
        var svg: String?

        func validate() throws {
            guard (0...10_000).contains(top) else { throw ValidationError("--top must be between 0 and 10000") }
        }

        func run() async throws {
            if global.json { return printJSON(try await global.client.data(Endpoints.artifact(id))) }
            let artifact = try await Artifacts.fetch(id, kind: .scaleSet, global: global)
            let content = try await global.client.call(Endpoints.artifactContent(id, as: ScaleSetContent.self))
            let summary = try ScaleSetSummary(content)
            var details = Artifacts.details(artifact)
            details.add("strategy", content.strategy)
            if !content.parameters.isEmpty { details.add("parameters", Format.summary(content.parameters)) }
            details.add("model", "\(content.model) (\(content.layers) layers × \(content.heads) heads × \(content.headDimension))")
            details.add("values", "\(content.values.count): " + Format.truncated(content.values.map { String(format: "%.4g", $0) }.joined(separator: " "), to: 100))
            let all = content.scales.flatMap { $0 }
            if let low = all.min(), let high = all.max() {
                details.add("multipliers", String(format: "%.4g … %.4g", low, high))
            }
            if let svg {
                try summary.heatmap(title: "\(artifact.name) (\(content.strategy)): multiplier per layer and head").write(to: svg)
                details.add("heatmap", svg)
            }
            details.print()
            guard top > 0 else { return }
            let (largest, smallest) = summary.extremes(top)
            out("")
            Self.table(largest, title: "largest", headWise: summary.isHeadWise)
            out("")
            Self.table(smallest, title: "smallest", headWise: summary.isHeadWise)
        }

        static func table(_ heads: [ScaleSetSummary.Head], title: String, headWise: Bool) {
            var table = headWise
                ? Table("\(title.uppercased())", "LAYER", "HEAD", "SCALE", alignments: [.left, .right, .right, .right])
                : Table("\(title.uppercased())", "LAYER", "HEAD", "MEAN", "MIN", "MAX", alignments: [.left, .right, .right, .right, .right, .right])
            for (rank, head) in heads.enumerated() {
                let f = { (x: Double) in String(format: "%.4f", x) }
                if headWise {
                    table.add("\(rank + 1)", "\(head.layer)", "\(head.head)", f(head.mean))
                } else {
                    table.add("\(rank + 1)", "\(head.layer)", "\(head.head)", f(head.mean), f(head.low), f(head.high))
                }
            }
            table.print(empty: "")
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
        static let configuration = CommandConfiguration(
            commandName: "export", abstract: "Write a scale set's JSON, or the model with the scales folded in.",
            discussion: """
                Without --merged: the stored JSON (to -o FILE or standard output). With --merged: \
                the loaded model with the scales folded into o_proj, as a GGUF file for llama.cpp \
                (--gguf FILE) and/or a Hugging Face safetensors directory (--hf DIR). The daemon \
                computes the files and streams them; sealctl writes them as the calling user.
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var options: ExportOptions

        @Flag(help: "Export the model with the scales folded in (needs --gguf and/or --hf).")
        var merged = false

        @Option(help: ArgumentHelp("Write the merged model as this GGUF file.", valueName: "file"), completion: .file(extensions: ["gguf"]))
        var gguf: String?

        @Option(help: ArgumentHelp("Write the merged model as a Hugging Face directory here.", valueName: "dir"), completion: .directory)
        var hf: String?

        @Option(help: ArgumentHelp("Storage of the folded o_proj in the GGUF file: f32 (exact) or f16.", valueName: "type"))
        var type = "f32"

        func validate() throws {
            if merged {
                guard gguf != nil || hf != nil else { throw ValidationError("--merged needs --gguf FILE and/or --hf DIR") }
                guard options.output == nil else { throw ValidationError("-o is for the JSON export; use --gguf or --hf with --merged") }
                guard ["f32", "f16"].contains(type) else { throw ValidationError("--type must be f32 or f16") }
            } else if gguf != nil || hf != nil {
                throw ValidationError("--gguf and --hf need --merged")
            }
        }

        func run() async throws {
            if merged {
                try await MergedExport.run(id: options.id, gguf: gguf, hf: hf, type: type, global: global)
            } else {
                try await Artifacts.export(options.id, to: options.output, global: global)
            }
        }
    }
}
