import Foundation
import Testing

@testable import SealFormats

/// Deeply nested JSON in a safetensors header: refused as corrupt, in linear time.
@Suite("Safetensors headers nested too deeply")
struct SafetensorsNestingTests {
    /// A file with an empty data section and `header` as its JSON header.
    static func file(header: String) -> [UInt8] {
        let json = Array(header.utf8)
        return withUnsafeBytes(of: UInt64(json.count).littleEndian, Array.init) + json
    }

    /// 100 branches nested 490 deep in `__metadata__` (about 100 KB): each subtree is
    /// decoded once, so refusing takes milliseconds, where a decoder that tries a
    /// nested decode and falls back took minutes.
    @Test(.timeLimit(.minutes(1)))
    func deepMetadataIsRefusedNamingTheLimit() throws {
        let chain = String(repeating: "[", count: 490) + "0" + String(repeating: "]", count: 490)
        let header = #"{"__metadata__":{"format":"pt","x":["# + Array(repeating: chain, count: 100).joined(separator: ",") + "]}}"
        try SafetensorsTests().expectOpenFailure(Self.file(header: header), mentions: ["deeper than the limit of 64 levels"]) {
            if case .invalidJSON = $0 { true } else { false }
        }
    }

    @Test func nestingWithinTheLimitIsRead() throws {
        // The header object, __metadata__ and the 62 arrays: 64 levels.
        let chain = String(repeating: "[", count: 62) + "0" + String(repeating: "]", count: 62)
        let directory = try TemporaryDirectory()
        let url = try directory.write(Self.file(header: #"{"__metadata__":{"format":"pt","x":"# + chain + "}}"), to: "deep.safetensors")
        let file = try SafetensorsFile(contentsOf: url)
        #expect(file.metadata == ["format": "pt"])
        #expect(file.tensorNames.isEmpty)

        let deeper = String(repeating: "[", count: 63) + "0" + String(repeating: "]", count: 63)
        try SafetensorsTests().expectOpenFailure(Self.file(header: #"{"__metadata__":{"x":"# + deeper + "}}"),
                                                 mentions: ["deeper than the limit of 64 levels"]) {
            if case .invalidJSON = $0 { true } else { false }
        }
    }
}
