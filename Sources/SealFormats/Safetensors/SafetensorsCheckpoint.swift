import Foundation

/// The weights of a Hugging Face model directory: `model.safetensors`, or the
/// shards listed by `model.safetensors.index.json`.
///
/// Every shard is opened and validated up front, and every tensor the index
/// names must be present in the shard it points to, so a missing or partial
/// download is reported at load time, naming the file to fetch again.
public final class SafetensorsCheckpoint: TensorStore {
    /// The model directory.
    public let directory: URL
    /// The opened files, in shard-name order.
    public let files: [SafetensorsFile]
    /// Tensor names ordered by file, then by position in the file.
    public let tensorNames: [String]

    private let locations: [String: Int]

    /// The single-file checkpoint name.
    public static let singleFileName = "model.safetensors"
    /// The sharded checkpoint index name.
    public static let indexFileName = "model.safetensors.index.json"

    private struct Index: Decodable {
        var weight_map: [String: String]
    }

    /// Opens the checkpoint in `directory`.
    public init(directory: URL) throws(ModelFormatError) {
        self.directory = directory
        let fileManager = FileManager.default
        let indexURL = directory.appendingPathComponent(Self.indexFileName)
        let singleURL = directory.appendingPathComponent(Self.singleFileName)

        if fileManager.fileExists(atPath: indexURL.path) {
            let weightMap = try Self.readIndex(indexURL)
            let shardNames = Set(weightMap.values).sorted()
            var files: [SafetensorsFile] = []
            var fileIndex: [String: Int] = [:]
            for shard in shardNames {
                guard !shard.isEmpty, !shard.contains("/"), shard != "..", shard != "." else {
                    throw ModelFormatError(
                        file: indexURL.path,
                        kind: .invalidJSON(reason: "weight_map names the shard '\(shard)', which is not a plain file name"))
                }
                let shardURL = directory.appendingPathComponent(shard)
                guard fileManager.fileExists(atPath: shardURL.path) else {
                    throw ModelFormatError(
                        file: shardURL.path,
                        kind: .cannotOpen(reason: "the shard listed in \(Self.indexFileName) does not exist; download it"))
                }
                fileIndex[shard] = files.count
                files.append(try SafetensorsFile(contentsOf: shardURL))
            }
            var locations: [String: Int] = [:]
            for (name, shard) in weightMap {
                guard let position = fileIndex[shard] else { continue }
                guard files[position].tensor(named: name) != nil else {
                    throw ModelFormatError.missingTensor(name, in: files[position].url.path)
                }
                locations[name] = position
            }
            self.files = files
            self.locations = locations
            self.tensorNames = files.enumerated().flatMap { position, file in
                file.tensorNames.filter { locations[$0] == position }
            }
        } else if fileManager.fileExists(atPath: singleURL.path) {
            let file = try SafetensorsFile(contentsOf: singleURL)
            self.files = [file]
            self.tensorNames = file.tensorNames
            self.locations = Dictionary(uniqueKeysWithValues: file.tensorNames.map { ($0, 0) })
        } else {
            throw ModelFormatError(
                file: directory.path,
                kind: .cannotOpen(
                    reason: "neither \(Self.singleFileName) nor \(Self.indexFileName) is in this directory; "
                        + "it does not hold a safetensors checkpoint"))
        }
    }

    private static func readIndex(_ url: URL) throws(ModelFormatError) -> [String: String] {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ModelFormatError(file: url.path, kind: .cannotOpen(reason: error.localizedDescription))
        }
        do {
            return try JSONDecoder().decode(Index.self, from: data).weight_map
        } catch {
            throw ModelFormatError(
                file: url.path, kind: .invalidJSON(reason: SafetensorsHeaderParser.describe(error)))
        }
    }

    /// The file holding `name` and the tensor's description there.
    public func tensor(named name: String) -> (file: SafetensorsFile, info: SafetensorsTensorInfo)? {
        guard let position = locations[name], let info = files[position].tensor(named: name) else { return nil }
        return (files[position], info)
    }

    /// Converts tensor `name` to fp32 into caller-provided memory.
    public func loadFloat32(
        _ name: String, into destination: UnsafeMutableBufferPointer<Float>
    ) throws(ModelFormatError) {
        guard let (file, info) = tensor(named: name) else {
            throw ModelFormatError.missingTensor(name, in: directory.path)
        }
        try file.dequantize(info, into: destination)
    }

    // MARK: TensorStore

    public var sourceDescription: String { directory.path }

    public func shape(of name: String) -> [Int]? {
        tensor(named: name)?.info.shape
    }

    public func loadFloat32(_ name: String) throws(ModelFormatError) -> [Float] {
        guard let (file, _) = tensor(named: name) else {
            throw ModelFormatError.missingTensor(name, in: directory.path)
        }
        return try file.loadFloat32(name)
    }
}
