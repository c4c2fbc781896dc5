/// What a vocabulary entry is, following GGUF's `tokenizer.ggml.token_type`.
///
/// The kind decides how a token is matched in input text (control and
/// user-defined tokens are matched literally, before BPE) and how it is decoded
/// (byte tokens become one raw byte; control tokens are optional in output).
enum TokenKind: UInt8, Sendable {
    case normal = 1
    case unknown = 2
    case control = 3
    case userDefined = 4
    case unused = 5
    case byte = 6

    /// GGUF's numeric token type; values outside 1...6 are treated as normal.
    init(ggufType: Int) {
        self = TokenKind(rawValue: UInt8(clamping: ggufType)) ?? .normal
    }

    /// Tokens a user normally does not want to see in generated text.
    var isSpecial: Bool {
        self == .control || self == .unknown
    }

    /// Tokens matched literally in the input before BPE (Hugging Face "added tokens").
    var isMatchedLiterally: Bool {
        self == .control || self == .unknown || self == .userDefined
    }
}

/// Parses `<0xNN>` byte-fallback token spellings.
enum ByteTokenSpelling {
    static func byte(of token: String) -> UInt8? {
        let scalars = Array(token.unicodeScalars)
        guard scalars.count == 6, scalars[0] == "<", scalars[1] == "0", scalars[2] == "x", scalars[5] == ">" else {
            return nil
        }
        guard let high = hexValue(scalars[3]), let low = hexValue(scalars[4]) else { return nil }
        return high << 4 | low
    }

    private static func hexValue(_ scalar: Unicode.Scalar) -> UInt8? {
        switch scalar.value {
        case 0x30...0x39: return UInt8(scalar.value - 0x30)
        case 0x41...0x46: return UInt8(scalar.value - 0x41 + 10)
        case 0x61...0x66: return UInt8(scalar.value - 0x61 + 10)
        default: return nil
        }
    }
}
