import Foundation

/// One text normalization applied to each run of ordinary text (never to
/// special tokens) before pre-tokenization.
enum NormalizerStep: Sendable, Equatable {
    /// Hugging Face `Prepend`: add a prefix to non-empty text (SentencePiece's "▁").
    case prepend([UInt32])
    /// Hugging Face `Replace` with a literal pattern (`" "` -> `"▁"`).
    case replace(pattern: [UInt32], content: [UInt32])
    /// Unicode canonical composition (Qwen2).
    case nfc

    func apply(_ scalars: [UInt32]) -> [UInt32] {
        switch self {
        case .prepend(let prefix):
            return scalars.isEmpty ? scalars : prefix + scalars
        case .replace(let pattern, let content):
            return Self.replace(scalars, pattern, content)
        case .nfc:
            var view = String.UnicodeScalarView()
            for value in scalars {
                if let scalar = Unicode.Scalar(value) { view.append(scalar) }
            }
            return String(view).precomposedStringWithCanonicalMapping.unicodeScalars.map(\.value)
        }
    }

    static func replace(_ scalars: [UInt32], _ pattern: [UInt32], _ content: [UInt32]) -> [UInt32] {
        guard !pattern.isEmpty, scalars.count >= pattern.count else { return scalars }
        var out: [UInt32] = []
        out.reserveCapacity(scalars.count)
        var i = 0
        let first = pattern[0]
        while i < scalars.count {
            if scalars[i] == first, i + pattern.count <= scalars.count,
                pattern.count == 1 || scalars[i..<(i + pattern.count)].elementsEqual(pattern)
            {
                out.append(contentsOf: content)
                i += pattern.count
            } else {
                out.append(scalars[i])
                i += 1
            }
        }
        return out
    }
}

/// Hugging Face `Metaspace` pre-tokenizer settings: spaces become the
/// replacement scalar ("▁") and a leading one is added according to a scheme.
struct MetaspaceOptions: Sendable, Equatable {
    enum PrependScheme: String, Sendable {
        /// Every run of text between special tokens.
        case always
        /// Only text at the very start of the input.
        case first
        case never
    }

    var replacement: UInt32
    var prependScheme: PrependScheme
    var split: Bool

    /// Replaces spaces and adds the prefix; `atInputStart` tells whether the run
    /// begins at offset 0 of the caller's text.
    func apply(_ scalars: [UInt32], atInputStart: Bool) -> [UInt32] {
        guard !scalars.isEmpty else { return scalars }
        var out = NormalizerStep.replace(scalars, [0x20], [replacement])
        let wantsPrefix = prependScheme == .always || (prependScheme == .first && atInputStart)
        if wantsPrefix, out.first != replacement {
            out.insert(replacement, at: 0)
        }
        return out
    }
}
