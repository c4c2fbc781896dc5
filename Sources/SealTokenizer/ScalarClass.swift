/// The character classes the pre-tokenizer regexes are written in:
/// `\p{L}`, `\p{N}`, `\s`, and everything else.
///
/// Hugging Face `tokenizers` evaluates its split regexes with Oniguruma, whose
/// `\p{L}` / `\p{N}` are the Unicode general categories L* / N* and whose `\s` is
/// the Unicode `White_Space` property; Swift's `Unicode.Scalar.Properties` gives
/// the same three answers, so the hand-written matchers agree with it.
enum ScalarClass: UInt8, Sendable {
    case letter
    case number
    case whitespace
    case other

    init(_ value: UInt32) {
        if value < 0x80 {
            self = ScalarClass.asciiTable[Int(value)]
            return
        }
        guard let scalar = Unicode.Scalar(value) else {
            self = .other
            return
        }
        let properties = scalar.properties
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            self = .letter
        case .decimalNumber, .letterNumber, .otherNumber:
            self = .number
        default:
            self = properties.isWhitespace ? .whitespace : .other
        }
    }

    private static let asciiTable: [ScalarClass] = (0..<128).map { value in
        switch value {
        case 0x41...0x5A, 0x61...0x7A: return .letter
        case 0x30...0x39: return .number
        case 0x09...0x0D, 0x20: return .whitespace
        default: return .other
        }
    }
}

/// A segment of input text as Unicode scalars with their classes, the unit all
/// pre-tokenizers work on. Pieces are index ranges into it, so splitting never
/// copies text.
struct ScalarText: Sendable {
    let scalars: [UInt32]
    let classes: [ScalarClass]

    init(_ scalars: [UInt32]) {
        self.scalars = scalars
        var classes: [ScalarClass] = []
        classes.reserveCapacity(scalars.count)
        for value in scalars {
            classes.append(ScalarClass(value))
        }
        self.classes = classes
    }

    init(_ text: Substring) {
        self.init(text.unicodeScalars.map(\.value))
    }

    var count: Int { scalars.count }
}
