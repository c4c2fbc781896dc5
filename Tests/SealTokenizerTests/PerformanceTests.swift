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

    func measure(_ tokenizer: Tokenizer, _ name: String) {
        _ = tokenizer.encode(String(Self.text.prefix(1000)))
        let clock = ContinuousClock()
        var ids: [TokenID] = []
        let elapsed = clock.measure { ids = tokenizer.encode(Self.text, addSpecialTokens: false) }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let decodeElapsed = clock.measure { _ = tokenizer.decode(ids) }
        let decodeSeconds = Double(decodeElapsed.components.seconds) + Double(decodeElapsed.components.attoseconds) * 1e-18
        print("""
            perf[\(name)]: encoded \(Self.text.utf8.count) bytes -> \(ids.count) tokens in \
            \(String(format: "%.1f", seconds * 1000)) ms (\(String(format: "%.0f", Double(ids.count) / seconds)) tokens/s); \
            decode \(String(format: "%.1f", decodeSeconds * 1000)) ms
            """)
        #expect(tokenizer.decode(ids) == Self.text)
    }

    @Test func encodeThroughputSmolLM2() {
        guard let tokenizer = TestSupport.smolLM else { return }
        measure(tokenizer, "smollm2")
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
