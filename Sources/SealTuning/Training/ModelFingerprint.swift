import Foundation

/// A content hash of a model's files, stored with tuned scales so that a scale set can be
/// traced to the exact weights it was learned on (a renamed or re-quantized file differs).
///
/// FNV-1a 64 over every byte: not cryptographic, but cheap (well under a second for the
/// default model) and stable across machines.
public enum ModelFingerprint {
    /// `fnv1a64:<16 hex digits>` of a file, or of a directory's regular files in name order.
    public static func of(path: String) throws(SealTuningError) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw SealTuningError(.model("cannot fingerprint \(path): no such file"))
        }
        var files = [path]
        if isDirectory.boolValue {
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
            files = names.map { (path as NSString).appendingPathComponent($0) }
                .filter { var dir: ObjCBool = false; return FileManager.default.fileExists(atPath: $0, isDirectory: &dir) && !dir.boolValue }
        }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for file in files {
            guard let handle = FileHandle(forReadingAtPath: file) else {
                throw SealTuningError(.model("cannot read \(file) to fingerprint it"))
            }
            defer { try? handle.close() }
            while true {
                let chunk: Data
                do { chunk = try handle.read(upToCount: 1 << 22) ?? Data() } catch {
                    throw SealTuningError(.model("cannot read \(file): \(error.localizedDescription)"))
                }
                if chunk.isEmpty { break }
                hash = update(hash, chunk)
            }
        }
        return "fnv1a64:" + String(hash, radix: 16).leftPadded(to: 16)
    }

    static func update(_ start: UInt64, _ data: Data) -> UInt64 {
        data.withUnsafeBytes { raw in
            var hash = start
            for byte in raw {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01B3
            }
            return hash
        }
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
