import Foundation
import Testing

@testable import SealTokenizer

/// Timing is printed, not asserted: test machines vary too much for thresholds.
@Suite struct PerformanceTests {
    /// About 40 KB of mixed prose, code and non-Latin text.
    static let text: String = {
        let paragraph = """
            The quick brown fox jumps over the lazy dog. In 1905, Albert Einstein published four papers; \
            one introduced E = mc^2. def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n\
            我爱自然语言处理。 Привет, мир! I love 🍕 and 🚀. Numbers: 3.14159, 2024-12-31, 10,000,000.\n\n
            """
        var out = ""
        var i = 0
        while out.utf8.count < 40_000 {
            out += paragraph.replacingOccurrences(of: "fox", with: "fox\(i)")
            i += 1
        }
        return out
    }()

    func measure(_ tokenizer: Tokenizer, _ name: String, _ text: String = PerformanceTests.text) {
        _ = tokenizer.encode(String(text.prefix(1000)))
        let clock = ContinuousClock()
        var ids: [TokenID] = []
        let elapsed = clock.measure { ids = tokenizer.encode(text, addSpecialTokens: false) }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let decodeElapsed = clock.measure { _ = tokenizer.decode(ids) }
        let decodeSeconds = Double(decodeElapsed.components.seconds) + Double(decodeElapsed.components.attoseconds) * 1e-18
        print("""
            perf[\(name)]: encoded \(text.utf8.count) bytes -> \(ids.count) tokens in \
            \(String(format: "%.1f", seconds * 1000)) ms (\(String(format: "%.0f", Double(ids.count) / seconds)) tokens/s); \
            decode \(String(format: "%.1f", decodeSeconds * 1000)) ms
            """)
        #expect(tokenizer.decode(ids) == text)
    }

    /// About 40 KB where no word repeats, so the per-call word cache never hits.
    static let uniqueWords: String = {
        var generator = SeededGenerator(seed: 42)
        let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        var out = ""
        while out.utf8.count < 40_000 {
            let length = Int(generator.next() % 9) + 3
            out += " " + String((0..<length).map { _ in letters[Int(generator.next() % UInt64(letters.count))] })
        }
        return out
    }()

    @Test func encodeThroughputSmolLM2() {
        guard let tokenizer = TestSupport.smolLM else { return }
        measure(tokenizer, "smollm2", Self.text)
        measure(tokenizer, "smollm2 unique words", Self.uniqueWords)
    }

    @Test func encodeThroughputTinyCoder() {
        guard let tokenizer = TestSupport.tinyCoder else { return }
        measure(tokenizer, "tinycoder")
    }

    @Test func loadTime() {
        guard let metadata = TestSupport.metadata(TestSupport.smolLMPath),
            let spm = TestSupport.metadata(TestSupport.tinyCoderPath)
        else { return }
        let clock = ContinuousClock()
        let a = clock.measure { _ = try? Tokenizer(ggufMetadata: metadata) }
        let b = clock.measure { _ = try? Tokenizer(ggufMetadata: spm) }
        print("perf[load]: smollm2 \(a), tinycoder \(b)")
    }
}

/// A small deterministic generator (SplitMix64) so timing inputs are stable.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
