import Foundation

/// A file made piece by piece as it is read, so a model-sized export never has to sit in memory:
/// the daemon streams it to a client chunk by chunk, a test writes it to disk.
public struct ExportStream: Sendable {
    /// One run of bytes of the file.
    public enum Piece: Sendable {
        case bytes([UInt8])
        case zeros(Int)
        /// Computed when reached; must return exactly `count` bytes.
        case produced(count: Int, @Sendable () throws(SealModelError) -> [UInt8])

        var count: Int {
            switch self {
            case .bytes(let bytes): bytes.count
            case .zeros(let count), .produced(let count, _): count
            }
        }
    }

    /// The file's name in its export (`model.gguf`, `config.json`, …).
    public let name: String
    /// The file's size, known before any byte is produced.
    public let byteCount: Int
    private let pieces: [Piece]
    private var position = 0

    public init(name: String, pieces: [Piece]) {
        self.name = name
        self.pieces = pieces.filter { $0.count > 0 }
        byteCount = pieces.reduce(0) { $0 + $1.count }
    }

    /// A small file given whole.
    public init(name: String, text: String) {
        self.init(name: name, pieces: [.bytes(Array(text.utf8))])
    }

    /// The next run of bytes, or nil at the end.
    public mutating func next() throws(SealModelError) -> [UInt8]? {
        guard position < pieces.count else { return nil }
        defer { position += 1 }
        return try piece(at: position)
    }

    /// How many runs of bytes make the file.
    public var pieceCount: Int { pieces.count }

    /// Run `index` of the file, computed now: lets a server produce each on a worker thread.
    public func piece(at index: Int) throws(SealModelError) -> [UInt8] {
        guard pieces.indices.contains(index) else {
            throw SealModelError(.exportFailed(reason: "\(name): no piece \(index)"))
        }
        switch pieces[index] {
        case .bytes(let bytes): return bytes
        case .zeros(let count): return [UInt8](repeating: 0, count: count)
        case .produced(let count, let make):
            let bytes = try make()
            guard bytes.count == count else {
                throw SealModelError(.exportFailed(reason: "\(name): a piece of \(count) bytes came out as \(bytes.count)"))
            }
            return bytes
        }
    }

    /// Writes the whole file to `url` (a temporary file renamed into place).
    public func write(to url: URL) throws(SealModelError) {
        var stream = self
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).part")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil),
              let handle = try? FileHandle(forWritingTo: temporary) else {
            throw SealModelError(.exportFailed(reason: "cannot create \(temporary.path)"))
        }
        do {
            defer { try? handle.close() }
            while let chunk = try stream.next() {
                try handle.write(contentsOf: chunk)
            }
            try handle.synchronize()
        } catch let error as SealModelError {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw SealModelError(.exportFailed(reason: "cannot write \(url.path): \(error.localizedDescription)"))
        }
        do {
            _ = try? FileManager.default.removeItem(at: url)
            try FileManager.default.moveItem(at: temporary, to: url)
        } catch {
            throw SealModelError(.exportFailed(reason: "cannot move \(temporary.path) to \(url.path): \(error.localizedDescription)"))
        }
    }
}

/// Little-endian bytes of fp32 or fp16 values.
enum FloatBytes {
    static func float32(_ values: [Float]) -> [UInt8] {
        values.withUnsafeBytes { Array($0) }
    }

    static func float16(_ values: [Float]) -> [UInt8] {
        let halves = values.map { Float16($0).bitPattern }
        return halves.withUnsafeBytes { Array($0) }
    }
}
