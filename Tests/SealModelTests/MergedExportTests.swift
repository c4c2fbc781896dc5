import Foundation
import SealFormats
@testable import SealModel
import SealTestSupport
import Testing

/// `sealctl scales export --merged`: the GGUF and Hugging Face files with scales folded into
/// o_proj, reloaded by the core loader, give the logits of live scaling.
@Suite("Merged export (scales folded into o_proj)")
struct MergedExportTests {
    static let prompt: [Int32] = (0..<24).map { Int32(3 + ($0 * 41) % 250) }

    static func logits(_ model: TransformerModel, _ tokens: [Int32] = prompt) throws -> [Float] {
        let session = try InferenceSession(model: model)
        return Array(try session.append(tokens))
    }

    static func maxDifference(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count)
        return zip(a, b).map { abs($0 - $1) }.max() ?? 0
    }

    /// Scales in [0.5, 1.5), different in every channel (channel-wise, the harder case).
    static func randomScales(_ c: ModelConfiguration, seed: UInt64) -> HeadScales {
        var state = seed
        return HeadScales(layers: (0..<c.layerCount).map { _ in
            (0..<c.queryDimension).map { _ in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return 0.5 + Float(state >> 40) / Float(1 << 24)
            }
        })
    }

    /// The tiny model (GQA: 2 query heads share 1 KV head) in a fresh directory.
    static func tinyModel() throws -> (URL, URL) {
        let dir = try temporaryDirectory()
        let url = dir.appendingPathComponent("tiny.gguf")
        try TinyModelFile(layers: 3, dimension: 16, heads: 4, kvHeads: 2, contextLength: 128).write(to: url)
        return (dir, url)
    }

    @Test func ggufExportReloadsToLiveScalingLogits() throws {
        let (dir, source) = try Self.tinyModel()
        defer { try? FileManager.default.removeItem(at: dir) }
        let base = try LanguageModel.load(from: source).transformer
        let scales = Self.randomScales(base.configuration, seed: 11)
        let export = try MergedModelExport(modelFile: source, scales: scales, provenance: ["scale_set": "test"])
        let out = dir.appendingPathComponent("merged.gguf")
        let stream = try export.gguf()
        try stream.write(to: out)
        let size = (try FileManager.default.attributesOfItem(atPath: out.path)[.size] as? Int) ?? -1
        #expect(size == stream.byteCount)

        let live = try Self.logits(base.applying(scales, mode: .live))
        let merged = try Self.logits(LanguageModel.load(from: out).transformer)
        #expect(Self.maxDifference(live, merged) < 1e-4, "fp32 fold: only rounding differs")
        #expect(Self.maxDifference(live, try Self.logits(base)) > 1e-2, "the scales must matter")

        // Same metadata plus provenance, same tensors and types except o_proj (now F32).
        let original = try GGUFFile(contentsOf: source), written = try GGUFFile(contentsOf: out)
        #expect(written.metadataKeys.filter { !$0.hasPrefix("seal.") } == original.metadataKeys)
        #expect(written.metadata["seal.scale_set"]?.stringValue == "test")
        #expect(written.tensors.map(\.name) == original.tensors.map(\.name))
        for (a, b) in zip(original.tensors, written.tensors) {
            #expect(a.shape == b.shape)
            if a.name.hasSuffix("attn_output.weight") {
                #expect(b.type == .f32)
            } else {
                #expect(a.type == b.type)
                #expect(Array(original.rawBytes(of: a)) == Array(written.rawBytes(of: b)), "\(a.name) copied byte for byte")
            }
        }
    }

    @Test func f16FoldIsCloseButNotExact() throws {
        let (dir, source) = try Self.tinyModel()
        defer { try? FileManager.default.removeItem(at: dir) }
        let base = try LanguageModel.load(from: source).transformer
        let scales = Self.randomScales(base.configuration, seed: 12)
        let out = dir.appendingPathComponent("merged16.gguf")
        try MergedModelExport(modelFile: source, scales: scales, foldedType: .f16).gguf().write(to: out)
        let written = try GGUFFile(contentsOf: out)
        #expect(written.tensor(named: "blk.0.attn_output.weight")?.type == .f16)
        let difference = Self.maxDifference(try Self.logits(base.applying(scales, mode: .live)),
                                            try Self.logits(LanguageModel.load(from: out).transformer))
        #expect(difference < 1e-2)
    }

    @Test func huggingFaceExportReloadsToLiveScalingLogits() throws {
        let (dir, source) = try Self.tinyModel()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = try LanguageModel.load(from: source)
        let scales = Self.randomScales(model.configuration, seed: 13)
        let export = try MergedModelExport(modelFile: source, scales: scales)
        let hf = dir.appendingPathComponent("hf")
        try FileManager.default.createDirectory(at: hf, withIntermediateDirectories: true)
        for name in MergedModelExport.huggingFaceFiles {
            try export.huggingFace(name).write(to: hf.appendingPathComponent(name))
        }
        let reloaded = try LanguageModel.load(from: hf)
        #expect(reloaded.configuration.ropeLayout == .halves, "Q/K rows un-permuted for transformers' RoPE")
        let difference = Self.maxDifference(try Self.logits(model.transformer.applying(scales, mode: .live)),
                                            try Self.logits(reloaded.transformer))
        #expect(difference < 1e-4)
        for text in ["Hello world", "a\u{00e9}\u{4e2d} 123"] {
            #expect(reloaded.tokenizer.encode(text, addSpecialTokens: true, parseSpecialTokens: true)
                    == model.tokenizer.encode(text, addSpecialTokens: true, parseSpecialTokens: true), "\(text)")
        }
    }

    @Test func qkRowPermutationIsUndone() {
        // One head of dimension 4, rows of width 1: GGUF order (0,1,2,3) holds pairs (x0,x2),(x1,x3) as 0,1 / 2,3.
        let gguf: [Float] = [10, 12, 11, 13]
        #expect(MergedModelExport.halvesLayout(gguf, heads: 1, headDimension: 4) == [10, 11, 12, 13])
    }

    @Test func badScalesAndUnknownFilesAreRefused() throws {
        let (dir, source) = try Self.tinyModel()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(throws: SealModelError.self) { try MergedModelExport(modelFile: source, scales: HeadScales(layers: [[1]])) }
        let c = try LanguageModel.load(from: source).configuration
        let export = try MergedModelExport(modelFile: source, scales: .identity(for: c))
        #expect { try export.huggingFace("../etc/passwd") } throws: { "\($0)".contains("no file") }
    }

    @Test("Slow: the real model's merged GGUF and HF directory reload to live-scaling logits, pass the gguf-package check and load in llama.cpp")
    func realModelExport() throws {
        let source = try #require(TestPaths.model(TestPaths.smolLM2), "run scripts/fetch-models.sh")
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = try LanguageModel.load(from: source)
        let c = model.configuration
        // Head-wise: one scalar per head, as SEAL-H learns.
        var state: UInt64 = 5
        let perHead = (0..<c.layerCount).map { _ in
            (0..<c.headCount).map { _ -> Float in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return 0.7 + 0.6 * Float(state >> 40) / Float(1 << 24)
            }
        }
        let scales = HeadScales.headWise(perHead, headDimension: c.headDimension)
        let export = try MergedModelExport(modelFile: source, scales: scales, provenance: ["scale_set": "slow-test"])
        let gguf = dir.appendingPathComponent("merged.gguf")
        try export.gguf().write(to: gguf)
        let hf = dir.appendingPathComponent("hf")
        try FileManager.default.createDirectory(at: hf, withIntermediateDirectories: true)
        for name in MergedModelExport.huggingFaceFiles { try export.huggingFace(name).write(to: hf.appendingPathComponent(name)) }

        let tokens = model.tokenizer.encode("The capital of Germany is Berlin. The capital of France is", addSpecialTokens: true,
                                            parseSpecialTokens: true)
        let live = try Self.logits(model.transformer.applying(scales, mode: .live), tokens)
        let plain = try Self.logits(model.transformer, tokens)
        #expect(Self.maxDifference(live, plain) > 0.1, "the scales must matter")
        let fromGGUF = try LanguageModel.load(from: gguf)
        let ggufDifference = Self.maxDifference(live, try Self.logits(fromGGUF.transformer, tokens))
        #expect(ggufDifference < 5e-4)
        let fromHF = try LanguageModel.load(from: hf)
        let hfDifference = Self.maxDifference(live, try Self.logits(fromHF.transformer, tokens))
        #expect(hfDifference < 5e-4)
        print("merged export, \(tokens.count) tokens: max |logit difference| to live scaling: GGUF \(ggufDifference), HF \(hfDifference); scales moved logits by up to \(Self.maxDifference(live, plain))")
        let text = "Hello, world! 12345 don't stop\n\tthe naïve café <|im_start|>user"
        #expect(fromHF.tokenizer.encode(text, addSpecialTokens: true, parseSpecialTokens: true)
                == model.tokenizer.encode(text, addSpecialTokens: true, parseSpecialTokens: true))
        #expect(fromHF.chatTemplate != nil, "chat template carried over")

        // Independent structural check with the gguf package (and the tokenizers package for tokenizer.json).
        let scalesFile = dir.appendingPathComponent("scales.json")
        try JSONEncoder().encode(scales.layers).write(to: scalesFile)
        let script = TestPaths.packageRoot.appendingPathComponent("Tools/reference/check_merged_export.py").path
        let result = try Subprocess.run("/usr/bin/env", ["python3", script, source.path, gguf.path, scalesFile.path, hf.path])
        #expect(result.status == 0, "\(result.output)")

        // llama.cpp itself (a prebuilt CPU build that scripts/test.sh fetches) loads the merged GGUF
        // and gives the logits of live scaling (numpy float64 reference) within its own noise.
        let llama = TestPaths.packageRoot.appendingPathComponent(".build/llama-cpp")
        try #require(FileManager.default.fileExists(atPath: llama.appendingPathComponent("_llama_cpp_cpu.so").path),
                     "llama.cpp is missing: run Tools/reference/llama_cpp/fetch_llama_cpp.sh")
        let checker = TestPaths.packageRoot.appendingPathComponent("Tools/reference/llama_cpp/check_llama_cpp.py").path
        let checked = try Subprocess.run("/usr/bin/env", ["python3", checker, llama.path, source.path, gguf.path, scalesFile.path])
        #expect(checked.status == 0, "\(checked.output.suffix(2000))")
    }
}
