/// The split regexes of the byte-level BPE families, implemented by hand.
///
/// Each matcher reproduces the leftmost-first, backtracking semantics of the
/// regex it is named after, so the pieces are exactly those Oniguruma (used by
/// Hugging Face `tokenizers`) finds; a hand-written matcher is several times
/// faster than `NSRegularExpression` and needs no Foundation on the hot path.
/// Every scalar is covered by some alternative in these patterns, so the pieces
/// tile the input.
enum SplitPattern: String, Sendable, CaseIterable {
    /// GPT-2: `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
    case gpt2
    /// Llama-3: `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}|`
    /// ` ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
    case llama3
    /// Qwen2: the Llama-3 pattern with `\p{N}` (single digits) instead of `\p{N}{1,3}`.
    case qwen2

    /// The regex source as it appears in tokenizer.json files, used to recognise them.
    var regexSource: String {
        switch self {
        case .gpt2:
            return #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#
        case .llama3:
            return #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
        case .qwen2:
            return #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
        }
    }

    /// Splits `range` of `text` into consecutive pieces, appending them to `pieces`.
    func split(_ text: ScalarText, _ range: Range<Int>, into pieces: inout [Range<Int>]) {
        var start = range.lowerBound
        let end = range.upperBound
        while start < end {
            var length: Int
            switch self {
            case .gpt2: length = Self.matchGPT2(text, start, end)
            case .llama3: length = Self.matchLlama3(text, start, end, maxDigits: 3)
            case .qwen2: length = Self.matchLlama3(text, start, end, maxDigits: 1)
            }
            if length <= 0 { length = 1 }  // unreachable for these patterns; guarantees progress
            pieces.append(start..<(start + length))
            start += length
        }
    }

    // MARK: - GPT-2

    private static func matchGPT2(_ text: ScalarText, _ i: Int, _ end: Int) -> Int {
        let s = text.scalars
        let c = text.classes
        if s[i] == apostrophe, let n = contraction(s, i, end, caseInsensitive: false) {
            return n
        }
        // ` ?\p{L}+`, ` ?\p{N}+`, ` ?[^\s\p{L}\p{N}]+`
        let hasSpace = s[i] == space && i + 1 < end && c[i + 1] != .whitespace
        let first = hasSpace ? i + 1 : i
        switch c[first] {
        case .letter, .number, .other:
            let cls = c[first]
            return run(c, from: first, to: end, of: cls) - i
        case .whitespace:
            return whitespaceTail(c, i, end)
        }
    }

    // MARK: - Llama-3 / Qwen2

    private static func matchLlama3(_ text: ScalarText, _ i: Int, _ end: Int, maxDigits: Int) -> Int {
        let s = text.scalars
        let c = text.classes
        // (?i:'s|'t|'re|'ve|'m|'ll|'d)
        if s[i] == apostrophe, let n = contraction(s, i, end, caseInsensitive: true) {
            return n
        }
        // [^\r\n\p{L}\p{N}]?\p{L}+
        if c[i] == .letter {
            return run(c, from: i, to: end, of: .letter) - i
        }
        if c[i] != .number, !isLineBreak(s[i]), i + 1 < end, c[i + 1] == .letter {
            return run(c, from: i + 1, to: end, of: .letter) - i
        }
        // \p{N}{1,maxDigits}
        if c[i] == .number {
            return min(run(c, from: i, to: end, of: .number) - i, maxDigits)
        }
        // ` ?[^\s\p{L}\p{N}]+[\r\n]*`
        let first = (s[i] == space && i + 1 < end && c[i + 1] == .other) ? i + 1 : i
        if c[first] == .other {
            var j = run(c, from: first, to: end, of: .other)
            while j < end, isLineBreak(s[j]) { j += 1 }
            return j - i
        }
        // `\s*[\r\n]+`: the whitespace run up to and including its last line break.
        let runEnd = run(c, from: i, to: end, of: .whitespace)
        var j = runEnd
        while j > i {
            if isLineBreak(s[j - 1]) { return j - i }
            j -= 1
        }
        return whitespaceTail(c, i, end)
    }

    // MARK: - Shared pieces

    private static let apostrophe: UInt32 = 0x27
    private static let space: UInt32 = 0x20

    /// `\s+(?!\S)|\s+` at a whitespace scalar: the whole run if it reaches the end
    /// or is a single scalar, otherwise all but the last scalar (which then
    /// prefixes the following word).
    private static func whitespaceTail(_ c: [ScalarClass], _ i: Int, _ end: Int) -> Int {
        let runEnd = run(c, from: i, to: end, of: .whitespace)
        let length = runEnd - i
        if runEnd == end || length == 1 { return length }
        return length - 1
    }

    private static func run(_ c: [ScalarClass], from start: Int, to end: Int, of cls: ScalarClass) -> Int {
        var j = start
        while j < end, c[j] == cls { j += 1 }
        return j
    }

    private static func isLineBreak(_ value: UInt32) -> Bool {
        value == 0x0A || value == 0x0D
    }

    /// `'s|'t|'re|'ve|'m|'ll|'d` at an apostrophe; the match length or `nil`.
    /// Case-insensitive matching follows Unicode simple case folding, under
    /// which U+017F LATIN SMALL LETTER LONG S folds to `s`.
    private static func contraction(_ s: [UInt32], _ i: Int, _ end: Int, caseInsensitive: Bool) -> Int? {
        guard i + 1 < end else { return nil }
        let a = fold(s[i + 1], caseInsensitive)
        switch a {
        case 0x73, 0x74, 0x6D, 0x64:  // s t m d
            return 2
        case 0x72, 0x76, 0x6C:  // r v l
            guard i + 2 < end else { return nil }
            let b = fold(s[i + 2], caseInsensitive)
            if (a == 0x72 || a == 0x76) && b == 0x65 { return 3 }  // re ve
            if a == 0x6C && b == 0x6C { return 3 }  // ll
            return nil
        default:
            return nil
        }
    }

    private static func fold(_ value: UInt32, _ caseInsensitive: Bool) -> UInt32 {
        guard caseInsensitive else { return value }
        if value >= 0x41 && value <= 0x5A { return value + 0x20 }
        if value == 0x17F { return 0x73 }
        return value
    }
}
