import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// `sealctl scales show --svg` and `sealctl scales export --merged` against the real seald, and
/// the exported GGUF served by a second seald: greedy output equal to the first daemon's with the
/// scale set applied live.
@Suite("Merged export end to end (slow: real daemon)", .serialized)
struct MergedExportEndToEndTests {
    /// A head-wise scale set with values in [0.6, 1.4) for the loaded model; returns its id.
    func makeScaleSet(_ daemon: DaemonProcess, directory: URL) throws -> String {
        let identity = try daemon.curl("POST", "/api/scale-sets", body: #"{"name": "e2e-identity", "strategy": "headwise"}"#)
        #expect(identity.status == 201, "\(identity.body)")
        let identityID = try #require(jsonObject(identity.body)?["id"] as? String)
        let content = try daemon.curl("GET", "/api/artifacts/\(identityID)/content")
        let count = try #require((jsonObject(content.body)?["values"] as? [Any])?.count)
        var state: UInt64 = 9
        let values = (0..<count).map { _ -> Double in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return 0.6 + 0.8 * Double(state >> 40) / Double(1 << 24)
        }
        let file = directory.appendingPathComponent("values.json")
        try JSONSerialization.data(withJSONObject: values).write(to: file)
        let made = try daemon.sealctl(["scales", "create", "--name", "e2e-export", "--strategy", "headwise", "--values-file", file.path], timeout: 300)
        #expect(made.status == 0, "\(made.stdout)")
        return try #require(made.stdout.split(separator: " ").first { $0.hasPrefix("sc-") }.map(String.init), "\(made.stdout)")
    }

    func greedy(_ daemon: DaemonProcess, scaleSet: String? = nil) throws -> String {
        let scale = scaleSet.map { #", "scale_set": "\#($0)""# } ?? ""
        let reply = try daemon.curl("POST", "/api/generate", body: """
            {"prompt": "The capital of France is Paris. The capital of Germany is", "max_tokens": 24, "temperature": 0\(scale)}
            """)
        #expect(reply.status == 200, "\(reply.body)")
        return try #require(jsonObject(reply.body)?["text"] as? String, "\(reply.body)")
    }

    @Test func showExportAndServeTheMergedModel() throws {
        let daemon = try SharedDaemon.get()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("seal-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let id = try makeScaleSet(daemon, directory: directory)

        let svg = directory.appendingPathComponent("heat.svg")
        let shown = try daemon.sealctl(["scales", "show", id, "--svg", svg.path, "--top", "3"], timeout: 300)
        #expect(shown.status == 0, "\(shown.stdout)")
        #expect(shown.stdout.contains("LARGEST") && shown.stdout.contains("SMALLEST"))
        let parser = try #require(XMLParser(contentsOf: svg))
        #expect(parser.parse(), "the heatmap is not well-formed XML")

        let gguf = directory.appendingPathComponent("merged.gguf"), hf = directory.appendingPathComponent("hf")
        let exported = try daemon.sealctl(["scales", "export", id, "--merged", "--gguf", gguf.path, "--hf", hf.path], timeout: 300)
        #expect(exported.status == 0, "\(exported.stdout)")
        for name in ["config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json", "model.safetensors"] {
            #expect(FileManager.default.fileExists(atPath: hf.appendingPathComponent(name).path), "\(name)")
        }
        let missing = try daemon.sealctl(["scales", "export", "sc-missing", "--merged", "--gguf", gguf.path], timeout: 300)
        #expect(missing.status == 65, "\(missing.stdout)")
        let unwritable = try daemon.sealctl(["scales", "export", id, "--merged", "--gguf", "/nonexistent-dir/x.gguf"], timeout: 300)
        #expect(unwritable.status == 74, "\(unwritable.stdout)")

        let live = try greedy(daemon, scaleSet: id)
        let second = try DaemonProcess(model: gguf)
        try second.start()
        #expect(try greedy(second) == live, "the merged GGUF served by seald answers like live scaling")
        // seald serves GGUF files only; the HF directory is reloaded by the core loader
        // (MergedExportTests) and by the numpy reference (check_merged_export.py).
    }
}
