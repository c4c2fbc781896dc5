import Foundation
import Testing

@testable import SealFormats

@Suite("Safetensors files and checkpoints")
struct SafetensorsTests {
    static let matrix: [Float] = (0..<12).map { Float($0) * 0.5 - 3 }
    static let halfValues: [Float] = [1, -2, 0.5, 65504]

    static func sample(padding: Int = 0) -> SafetensorsBuilder {
        var builder = SafetensorsBuilder()
        builder.headerPadding = padding
        builder.add("model.layers.0.self_attn.q_proj.weight", shape: [3, 4], f32: matrix)
        builder.add("model.norm.weight", shape: [4], f16: halfValues)
        builder.add("lm_head.weight", shape: [2, 2], bf16: [1, -1.5, 3, 0.25])
        builder.add("model.position_ids", dtype: "I64", shape: [2], bytes: Int64(7).littleEndianBytes + Int64(8).littleEndianBytes)
        builder.add("model.future", dtype: "F4", shape: [3], bytes: [1, 2])
        return builder
    }

    @Test(arguments: [0, 3])
    func readsSupportedDTypes(padding: Int) throws {
        let directory = try TemporaryDirectory()
        let url = try directory.write(try Self.sample(padding: padding).bytes(), to: "model.safetensors")
        let file = try SafetensorsFile(contentsOf: url)
        #expect(file.tensorNames == [
            "model.layers.0.self_attn.q_proj.weight", "model.norm.weight", "lm_head.weight", "model.position_ids",
            "model.future",
        ])
        #expect(file.metadata == ["format": "pt"])
        #expect(file.shape(of: "model.layers.0.self_attn.q_proj.weight") == [3, 4])
        #expect(try file.loadFloat32("model.layers.0.self_attn.q_proj.weight") == Self.matrix)
        #expect(try file.loadFloat32("model.norm.weight") == Self.halfValues)
        #expect(try file.loadFloat32("lm_head.weight") == [1, -1.5, 3, 0.25])
        let info = try #require(file.tensor(named: "model.norm.weight"))
        #expect(info.dtype == .f16 && info.byteCount == 8 && info.elementCount == 4)
        #expect(file.rawBytes(of: info).count == 8)
    }

    @Test func unsupportedDTypesFailOnlyWhenLoaded() throws {
        let directory = try TemporaryDirectory()
        let url = try directory.write(try Self.sample().bytes(), to: "model.safetensors")
        let file = try SafetensorsFile(contentsOf: url)
        expectFormatError(naming: url.path, mentions: ["'model.position_ids'", "dtype I64", "F32, F16 and BF16"]) {
            $0 == .unsupportedDType(name: "model.position_ids", dtype: "I64")
        } _: { () throws(ModelFormatError) in
            _ = try file.loadFloat32("model.position_ids")
        }
        expectFormatError(naming: url.path, mentions: ["dtype F4"]) {
            $0 == .unsupportedDType(name: "model.future", dtype: "F4")
        } _: { () throws(ModelFormatError) in
            _ = try file.loadFloat32("model.future")
        }
        expectFormatError(naming: url.path) { $0 == .missingTensor("nope") } _: { () throws(ModelFormatError) in
            _ = try file.loadFloat32("nope")
        }
    }

    func expectOpenFailure(
        _ bytes: [UInt8], mentions: [String] = [], sourceLocation: SourceLocation = #_sourceLocation,
        _ matches: (ModelFormatError.Kind) -> Bool
    ) throws {
        let directory = try TemporaryDirectory()
        let url = try directory.write(bytes, to: "bad.safetensors")
        expectFormatError(naming: url.path, mentions: mentions, sourceLocation: sourceLocation, matches) {
            () throws(ModelFormatError) in
            _ = try SafetensorsFile(contentsOf: url)
        }
    }

    @Test func truncatedHeader() throws {
        let full = try Self.sample().bytes()
        try expectOpenFailure(Array(full.prefix(40)), mentions: ["JSON header", "truncated"]) {
            if case .truncated(_, at: 8, fileSize: 40, _) = $0 { true } else { false }
        }
        try expectOpenFailure([1, 2, 3], mentions: ["header length"]) {
            if case .truncated(needed: 8, at: 0, fileSize: 3, _) = $0 { true } else { false }
        }
        try expectOpenFailure([], mentions: ["empty"]) { $0 == .emptyFile }
    }

    @Test func offsetsOutOfBounds() throws {
        var builder = Self.sample()
        var header = builder.headerObject()
        header["model.norm.weight"] = ["dtype": "F16", "shape": [4], "data_offsets": [48, 10_000]] as [String: Any]
        try expectOpenFailure(try builder.bytes(header: header), mentions: ["'model.norm.weight'", "extends past the end"]) {
            if case .tensorOutOfBounds(name: "model.norm.weight", _, _, _) = $0 { true } else { false }
        }
        header["model.norm.weight"] = ["dtype": "F16", "shape": [4], "data_offsets": [56, 48]] as [String: Any]
        try expectOpenFailure(try builder.bytes(header: header)) {
            if case .tensorOutOfBounds = $0 { true } else { false }
        }
        // Data cut short: the last tensor no longer fits.
        builder.tensors[builder.tensors.count - 1].bytes = []
        try expectOpenFailure(try builder.bytes(header: builder.headerObject().merging(
            ["model.future": ["dtype": "F4", "shape": [3], "data_offsets": [80, 82]] as [String: Any]]) { $1 })) {
            if case .tensorOutOfBounds(name: "model.future", _, _, _) = $0 { true } else { false }
        }
    }

    @Test func sizeInconsistentWithShape() throws {
        let builder = Self.sample()
        var header = builder.headerObject()
        header["model.layers.0.self_attn.q_proj.weight"] =
            ["dtype": "F32", "shape": [3, 5], "data_offsets": [0, 48]] as [String: Any]
        try expectOpenFailure(try builder.bytes(header: header), mentions: ["need 60", "occupies 48"]) {
            $0 == .inconsistentTensorSize(name: "model.layers.0.self_attn.q_proj.weight", expectedBytes: 60, foundBytes: 48)
        }
    }

    @Test func malformedHeaders() throws {
        let notJSON = SafetensorsBuilder.file(headerJSON: Array("{\"a\": [1, 2".utf8), data: [])
        try expectOpenFailure(notJSON, mentions: ["not a JSON object"]) {
            if case .invalidJSON = $0 { true } else { false }
        }
        let builder = Self.sample()
        var header = builder.headerObject()
        header["model.norm.weight"] = ["shape": [4], "data_offsets": [48, 56]] as [String: Any]
        try expectOpenFailure(try builder.bytes(header: header), mentions: ["'model.norm.weight'", "'dtype'"]) {
            if case .invalidJSON = $0 { true } else { false }
        }
        header["model.norm.weight"] = ["dtype": "F16", "shape": [-4], "data_offsets": [48, 56]] as [String: Any]
        try expectOpenFailure(try builder.bytes(header: header), mentions: ["non-negative"]) {
            if case .invalidJSON = $0 { true } else { false }
        }
        let absurd = UInt64(1 << 40).littleEndianBytes + Array("{}".utf8)
        try expectOpenFailure(absurd, mentions: ["JSON header"]) {
            if case .truncated = $0 { true } else { false }
        }
    }

    @Test func singleFileCheckpoint() throws {
        let directory = try TemporaryDirectory()
        try directory.write(try Self.sample().bytes(), to: "model.safetensors")
        let checkpoint = try SafetensorsCheckpoint(directory: directory.url)
        #expect(checkpoint.files.count == 1)
        #expect(checkpoint.tensorNames.count == 5)
        #expect(try checkpoint.loadFloat32("model.norm.weight") == Self.halfValues)
        #expect(checkpoint.sourceDescription == directory.url.path)
    }

    @Test func shardedCheckpoint() throws {
        let directory = try TemporaryDirectory()
        var first = SafetensorsBuilder(), second = SafetensorsBuilder()
        first.add("a.weight", shape: [2], f32: [1, 2])
        first.add("stray.weight", shape: [1], f32: [9])  // in the shard but not in the index: ignored
        second.add("b.weight", shape: [1, 2], bf16: [3, 4])
        try directory.write(try first.bytes(), to: "model-00001-of-00002.safetensors")
        try directory.write(try second.bytes(), to: "model-00002-of-00002.safetensors")
        let index = #"{"metadata": {"total_size": 12}, "weight_map": {"b.weight": "model-00002-of-00002.safetensors", "a.weight": "model-00001-of-00002.safetensors"}}"#
        try directory.write(Array(index.utf8), to: "model.safetensors.index.json")

        let checkpoint = try SafetensorsCheckpoint(directory: directory.url)
        #expect(checkpoint.tensorNames == ["a.weight", "b.weight"])
        #expect(try checkpoint.loadFloat32("b.weight") == [3, 4])
        #expect(checkpoint.shape(of: "b.weight") == [1, 2])
        #expect(checkpoint.shape(of: "stray.weight") == nil)
        var buffer = [Float](repeating: 0, count: 2)
        try buffer.withUnsafeMutableBufferPointer { try checkpoint.loadFloat32("a.weight", into: $0) }
        #expect(buffer == [1, 2])
    }

    @Test func brokenShardedCheckpoints() throws {
        let directory = try TemporaryDirectory()
        var shard = SafetensorsBuilder()
        shard.add("a.weight", shape: [2], f32: [1, 2])
        try directory.write(try shard.bytes(), to: "one.safetensors")
        let indexPath = directory.url.appendingPathComponent("model.safetensors.index.json").path

        try directory.write(Array(#"{"weight_map": {"a.weight": "two.safetensors"}}"#.utf8), to: "model.safetensors.index.json")
        let twoPath = directory.url.appendingPathComponent("two.safetensors").path
        expectFormatError(naming: twoPath, mentions: ["does not exist"]) {
            if case .cannotOpen = $0 { true } else { false }
        } _: { () throws(ModelFormatError) in
            _ = try SafetensorsCheckpoint(directory: directory.url)
        }

        try directory.write(Array(#"{"weight_map": {"b.weight": "one.safetensors"}}"#.utf8), to: "model.safetensors.index.json")
        let onePath = directory.url.appendingPathComponent("one.safetensors").path
        expectFormatError(naming: onePath, mentions: ["'b.weight'"]) { $0 == .missingTensor("b.weight") } _: {
            () throws(ModelFormatError) in
            _ = try SafetensorsCheckpoint(directory: directory.url)
        }

        try directory.write(Array(#"{"weight_map": {"a.weight": "../one.safetensors"}}"#.utf8), to: "model.safetensors.index.json")
        expectFormatError(naming: indexPath, mentions: ["not a plain file name"]) {
            if case .invalidJSON = $0 { true } else { false }
        } _: { () throws(ModelFormatError) in
            _ = try SafetensorsCheckpoint(directory: directory.url)
        }

        try directory.write(Array(#"{"weights": {}}"#.utf8), to: "model.safetensors.index.json")
        expectFormatError(naming: indexPath, mentions: ["weight_map"]) {
            if case .invalidJSON = $0 { true } else { false }
        } _: { () throws(ModelFormatError) in
            _ = try SafetensorsCheckpoint(directory: directory.url)
        }
    }

    @Test func directoryWithoutWeights() throws {
        let directory = try TemporaryDirectory()
        expectFormatError(naming: directory.url.path, mentions: ["model.safetensors", "index.json"]) {
            if case .cannotOpen = $0 { true } else { false }
        } _: { () throws(ModelFormatError) in
            _ = try SafetensorsCheckpoint(directory: directory.url)
        }
    }
}
