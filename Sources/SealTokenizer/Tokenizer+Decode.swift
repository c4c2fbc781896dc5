/// Token ids to text.
extension Tokenizer {
    /// Converts token ids back to text.
    ///
    /// Bytes of all tokens are joined before UTF-8 decoding, so characters split
    /// across tokens (emoji, CJK under byte-level BPE) come out whole; invalid
    /// sequences become U+FFFD. For SentencePiece vocabularies the space the
    /// encoder prepended is removed again, so `decode(encode(x)) == x`.
    ///
    /// - Parameter skipSpecialTokens: Leave out control tokens such as BOS/EOS.
    public func decode(_ ids: [TokenID], skipSpecialTokens: Bool = false) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ids.count * 4)
        var first = true
        for id in ids {
            if skipSpecialTokens && isSpecial(id) { continue }
            bytes.append(contentsOf: first ? firstTokenBytes(id) : tokenBytes(id))
            first = false
        }
        if leadingSpace == .stripOne, bytes.first == 0x20 {
            bytes.removeFirst()
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The bytes of the first decoded token: under a Metaspace decoder its "▁"s
    /// are the encoder's prefix and are dropped.
    func firstTokenBytes(_ id: TokenID) -> [UInt8] {
        guard leadingSpace == .dropFromFirstToken, id >= 0, Int(id) < tokens.count else { return tokenBytes(id) }
        switch kinds[Int(id)] {
        case .normal, .unused:
            var view = String.UnicodeScalarView()
            view.append(contentsOf: tokens[Int(id)].unicodeScalars.filter { $0.value != 0x2581 })
            return Array(String(view).utf8)
        default:
            return tokenBytes(id)
        }
    }

    /// A decoder for token-by-token output; see ``StreamingDecoder``.
    public func makeStreamingDecoder(skipSpecialTokens: Bool = false) -> StreamingDecoder {
        StreamingDecoder(tokenizer: self, skipSpecialTokens: skipSpecialTokens)
    }
}

/// Decodes generated tokens one at a time, emitting only complete characters.
///
/// A byte-level token can end in the middle of a multi-byte UTF-8 character
/// (an emoji is often two or three tokens). Printing each token's bytes on its
/// own would show replacement characters; this decoder holds back an incomplete
/// trailing sequence until the token that completes it arrives. The
/// concatenation of everything it returns equals ``Tokenizer/decode(_:skipSpecialTokens:)``
/// of the same ids.
public struct StreamingDecoder: Sendable {
    private let tokenizer: Tokenizer
    private let skipSpecialTokens: Bool
    private var pending: [UInt8] = []
    private var atStart = true
    private var atFirstToken = true

    init(tokenizer: Tokenizer, skipSpecialTokens: Bool) {
        self.tokenizer = tokenizer
        self.skipSpecialTokens = skipSpecialTokens
    }

    /// Adds one token; returns the text that became complete (possibly empty).
    public mutating func append(_ id: TokenID) -> String {
        if skipSpecialTokens && tokenizer.isSpecial(id) { return "" }
        var bytes: [UInt8]
        if atFirstToken {
            atFirstToken = false
            bytes = tokenizer.firstTokenBytes(id)
        } else {
            bytes = tokenizer.tokenBytes(id)
        }
        if atStart && !bytes.isEmpty {
            atStart = false
            if tokenizer.leadingSpace == .stripOne, bytes.first == 0x20 {
                bytes.removeFirst()
            }
        }
        pending.append(contentsOf: bytes)
        let complete = Self.completePrefixLength(pending)
        guard complete > 0 else { return "" }
        let text = String(decoding: pending[..<complete], as: UTF8.self)
        pending.removeFirst(complete)
        return text
    }

    /// Flushes held-back bytes (an incomplete character becomes U+FFFD).
    public mutating func finish() -> String {
        defer { pending.removeAll() }
        return pending.isEmpty ? "" : String(decoding: pending, as: UTF8.self)
    }

    /// The length of `bytes` without a trailing, still-completable UTF-8 sequence.
    static func completePrefixLength(_ bytes: [UInt8]) -> Int {
        let n = bytes.count
        // Look back at most 3 bytes for the lead byte of the last sequence.
        var i = n - 1
        var continuation = 0
        while i >= 0 && continuation < 3 && bytes[i] & 0xC0 == 0x80 {
            continuation += 1
            i -= 1
        }
        guard i >= 0 else { return n }
        let lead = bytes[i]
        let expected: Int
        switch lead {
        case 0xC2...0xDF: expected = 2
        case 0xE0...0xEF: expected = 3
        case 0xF0...0xF4: expected = 4
        default: return n  // ASCII, a stray continuation run or an invalid lead: nothing to wait for
        }
        let have = n - i
        if have >= expected { return n }
        // Hold back only if what we have is a valid prefix (second-byte ranges per RFC 3629).
        if have >= 2 {
            let second = bytes[i + 1]
            switch lead {
            case 0xE0 where second < 0xA0: return n
            case 0xED where second > 0x9F: return n
            case 0xF0 where second < 0x90: return n
            case 0xF4 where second > 0x8F: return n
            default: break
            }
        }
        return i
    }
}
