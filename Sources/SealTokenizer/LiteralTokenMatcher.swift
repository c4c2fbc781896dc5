/// A run of input text, or a token found literally in it.
enum TextSegment: Sendable, Equatable {
    case text(Range<Int>)
    case token(TokenID)
}

/// Finds special and user-defined tokens ("<|im_start|>", "</s>") in input text
/// so they become their ids instead of being spelled out by BPE.
///
/// Matching is leftmost-longest, as Hugging Face's added-token matcher does:
/// at the earliest position where any token matches, the longest one wins.
struct LiteralTokenMatcher: Sendable {
    private struct Entry: Sendable {
        var scalars: [UInt32]
        var id: TokenID
        var lstrip: Bool
        var rstrip: Bool
    }

    /// Candidates by first scalar, longest first.
    private let candidates: [UInt32: [Entry]]
    /// Fast rejection for ASCII first scalars.
    private let asciiStarts: [Bool]

    init(_ tokens: [TokenizerDescription.LiteralToken]) {
        var candidates: [UInt32: [Entry]] = [:]
        var asciiStarts = [Bool](repeating: false, count: 128)
        for token in tokens {
            let scalars = token.content.unicodeScalars.map(\.value)
            guard let first = scalars.first else { continue }
            candidates[first, default: []].append(
                Entry(scalars: scalars, id: token.id, lstrip: token.lstrip, rstrip: token.rstrip))
            if first < 128 { asciiStarts[Int(first)] = true }
        }
        for key in candidates.keys {
            candidates[key]?.sort { $0.scalars.count > $1.scalars.count }
        }
        self.candidates = candidates
        self.asciiStarts = asciiStarts
    }

    /// Splits `scalars` into text runs and literal tokens, in order. Empty text
    /// runs are omitted.
    func segments(_ scalars: [UInt32]) -> [TextSegment] {
        segments(scalars, trusted: nil, plain: nil)
    }

    /// Like ``segments(_:)``, but this matcher's tokens are found only where they lie
    /// entirely in scalars marked `trusted`; elsewhere only `plain`'s tokens match.
    func segments(_ scalars: [UInt32], trusted: [Bool]?, plain: LiteralTokenMatcher?) -> [TextSegment] {
        if candidates.isEmpty {
            return scalars.isEmpty ? [] : [.text(0..<scalars.count)]
        }
        var out: [TextSegment] = []
        var textStart = 0
        var i = 0
        while i < scalars.count {
            let value = scalars[i]
            if value < 128 && !asciiStarts[Int(value)] {
                i += 1
                continue
            }
            guard let entry = match(scalars, at: i, trusted: trusted, plain: plain) else {
                i += 1
                continue
            }
            var textEnd = i
            if entry.lstrip {
                while textEnd > textStart, ScalarClass(scalars[textEnd - 1]) == .whitespace { textEnd -= 1 }
            }
            if textEnd > textStart { out.append(.text(textStart..<textEnd)) }
            out.append(.token(entry.id))
            i += entry.scalars.count
            if entry.rstrip {
                while i < scalars.count, ScalarClass(scalars[i]) == .whitespace { i += 1 }
            }
            textStart = i
        }
        if textStart < scalars.count { out.append(.text(textStart..<scalars.count)) }
        return out
    }

    private func match(_ scalars: [UInt32], at i: Int, trusted: [Bool]?, plain: LiteralTokenMatcher?) -> Entry? {
        guard let trusted else { return match(scalars, at: i) }
        if trusted[i], let entry = match(scalars, at: i), trusted[i..<(i + entry.scalars.count)].allSatisfy({ $0 }) {
            return entry
        }
        return plain?.match(scalars, at: i)
    }

    private func match(_ scalars: [UInt32], at i: Int) -> Entry? {
        guard let entries = candidates[scalars[i]] else { return nil }
        for entry in entries where i + entry.scalars.count <= scalars.count {
            var k = 1
            while k < entry.scalars.count, scalars[i + k] == entry.scalars[k] { k += 1 }
            if k == entry.scalars.count { return entry }
        }
        return nil
    }
}
