import Foundation
import SealModel
import SealTensor
import SealTokenizer
import Testing

/// Hugging Face directories (halves RoPE layout, safetensors, tokenizer.json)
/// against the numpy reference in Tools/reference/make_tiny_hf_models.py.
///
/// The models are tiny and random, so logits are compared in full at every
/// checked position, to 1e-4 absolute (fp32 noise measured in numpy: 5e-6 on
/// logits up to 12); the prompts are tokenized by our tokenizer and must equal
/// the reference's ids from the HF `tokenizers` library.
@Suite("Hugging Face directories against the numpy reference")
struct HuggingFaceParityTests {
    struct Reference: Decodable {
        struct Case: Decodable {
            let name: String
            let text: String?
            let tokens: [Int32]
            let positions: [Int]
            let logits_full: [String: [Double]]
            let greedy: [Int32]?
        }
        let cases: [Case]
    }

    @Test("tiny-llama (F32, untied), tiny-qwen2 (BF16, sharded, biases, tied), tiny-mistral (F16, GQA)",
          arguments: ["tiny-llama", "tiny-qwen2", "tiny-mistral"])
    func matchesReference(name: String) throws {
        let directory = TestPaths.fixture("hf/\(name)")
        let reference = try JSONDecoder().decode(
            Reference.self, from: Data(contentsOf: directory.appendingPathComponent("reference.json")))
        let model = try LanguageModel.load(from: directory)
        #expect(model.configuration.ropeLayout == .halves)
        for testCase in reference.cases {
            if let text = testCase.text {
                let ids = model.tokenizer.encode(text, addSpecialTokens: true, parseSpecialTokens: false)
                #expect(ids == testCase.tokens, "\(name)/\(testCase.name): tokenization differs")
            }
            let session = try InferenceSession(model: model.transformer, capacity: testCase.tokens.count + 20, blockSize: 5)
            let rows = try session.evaluate(testCase.tokens, logitsAt: testCase.positions)
            for (position, row) in zip(testCase.positions, rows) {
                let expected = try #require(testCase.logits_full[String(position)])
                let worst = zip(row, expected).map { abs(Double($0) - $1) }.max() ?? .infinity
                #expect(worst < 1e-4, "\(name)/\(testCase.name) @\(position): max |Δ| \(worst)")
            }
            if let greedy = testCase.greedy {
                session.reset()
                var logits = try session.append(testCase.tokens)
                var produced: [Int32] = []
                for _ in greedy {
                    let next = Int32(logits.argmax)
                    produced.append(next)
                    logits = try session.decode(next)
                }
                #expect(produced == greedy, "\(name)/\(testCase.name): greedy differs")
            }
        }
    }
}
