/// Text to token ids.
extension Tokenizer {
    /// Converts text to token ids.
    ///
    /// - Parameters:
    ///   - text: The input.
    ///   - addSpecialTokens: Add BOS (and EOS) when the vocabulary asks for them;
    ///     pass `false` when encoding a continuation of an existing sequence.
    ///   - parseSpecialTokens: Turn special-token spellings in `text` (such as
    ///     "<|im_start|>" in a rendered chat template) into their ids. Pass
    ///     `false` for untrusted user text, so it cannot inject control tokens.
    public func encode(_ text: String, addSpecialTokens: Bool = true, parseSpecialTokens: Bool = true) -> [TokenID] {
        var scalars: [UInt32] = []
        scalars.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            scalars.append(scalar.value)
        }
        let matcher = parseSpecialTokens ? allLiterals : ordinaryLiterals
        return encode(scalars: scalars, segments: matcher.segments(scalars), addSpecialTokens: addSpecialTokens)
    }

    /// Encodes `scalars`, already split into text runs and literal tokens.
    func encode(scalars: [UInt32], segments: [TextSegment], addSpecialTokens: Bool) -> [TokenID] {
        var output: [TokenID] = []
        output.reserveCapacity(scalars.count / 3 + 2)
        if addSpecialTokens, addsBOS, let bos = bosTokenID {
            output.append(bos)
        }
        var cache = WordCache()
        for segment in segments {
            switch segment {
            case .token(let id):
                output.append(id)
            case .text(let range):
                encodeText(Array(scalars[range]), atInputStart: range.lowerBound == 0, cache: &cache, into: &output)
            }
        }
        if addSpecialTokens, addsEOS, let eos = eosTokenID {
            output.append(eos)
        }
        return output
    }

    /// Normalizes, pre-tokenizes and BPE-encodes one run of ordinary text.
    func encodeText(_ input: [UInt32], atInputStart: Bool, cache: inout WordCache, into output: inout [TokenID]) {
        var scalars = input
        for step in normalizers {
            scalars = step.apply(scalars)
        }
        if addPrefixSpace, scalars.first != 0x20 {
            scalars.insert(0x20, at: 0)
        }
        if let metaspace {
            scalars = metaspace.apply(scalars, atInputStart: atInputStart)
        }
        let text = ScalarText(scalars)
        for piece in preTokenizer.split(text) {
            encodeWord(text.scalars[piece], cache: &cache, into: &output)
        }
    }

    /// BPE-encodes one pre-tokenized word.
    func encodeWord(_ word: ArraySlice<UInt32>, cache: inout WordCache, into output: inout [TokenID]) {
        let cacheable = word.count <= WordCache.maxWordLength
        if cacheable, let ids = cache.words[word] {
            output.append(contentsOf: ids)
            return
        }
        var symbols: [TokenID]
        switch alphabet {
        case .byteLevel:
            var bytes: [UInt8] = []
            bytes.reserveCapacity(word.count * 2)
            for value in word {
                UTF8Encoding.append(value, to: &bytes)
            }
            if ignoreMerges, let id = idForToken[ByteLevelAlphabet.spelling(of: bytes)] {
                symbols = [id]
            } else {
                symbols = byteLevelSymbols(bytes)
                BPEMerger.merge(&symbols, mergeTable)
            }
        case .scalars(let byteFallback, let fuseUnknown):
            if ignoreMerges, let id = idForToken[String(scalarsOf: word)] {
                symbols = [id]
            } else {
                symbols = scalarSymbols(word, byteFallback: byteFallback, fuseUnknown: fuseUnknown)
                BPEMerger.merge(&symbols, mergeTable)
            }
        }
        output.append(contentsOf: symbols)
        if cacheable {
            cache.words[word] = symbols
        }
    }

    func byteLevelSymbols(_ bytes: [UInt8]) -> [TokenID] {
        var symbols: [TokenID] = []
        symbols.reserveCapacity(bytes.count)
        for byte in bytes {
            let id = byteSymbolIDs[Int(byte)]
            if id >= 0 {
                symbols.append(id)
            } else if let unknown = unknownTokenID {
                symbols.append(unknown)
            }
        }
        return symbols
    }

    /// Initial symbols of character BPE: one per scalar in the vocabulary, else
    /// its UTF-8 bytes as `<0xNN>` tokens, else the unknown token.
    func scalarSymbols(_ word: ArraySlice<UInt32>, byteFallback: Bool, fuseUnknown: Bool) -> [TokenID] {
        var symbols: [TokenID] = []
        symbols.reserveCapacity(word.count)
        var previousWasUnknown = false
        var bytes: [UInt8] = []
        for value in word {
            if let id = scalarSymbolIDs[value] {
                symbols.append(id)
                previousWasUnknown = false
                continue
            }
            if byteFallback {
                bytes.removeAll(keepingCapacity: true)
                UTF8Encoding.append(value, to: &bytes)
                if bytes.allSatisfy({ byteSymbolIDs[Int($0)] >= 0 }) {
                    for byte in bytes { symbols.append(byteSymbolIDs[Int(byte)]) }
                    previousWasUnknown = false
                    continue
                }
            }
            guard let unknown = unknownTokenID else { continue }
            if !(fuseUnknown && previousWasUnknown) {
                symbols.append(unknown)
            }
            previousWasUnknown = true
        }
        return symbols
    }
}

/// Per-call memo of word encodings: natural text repeats words constantly, and
/// keeping the cache local to one `encode` call needs no locking.
struct WordCache {
    static let maxWordLength = 64
    var words: [ArraySlice<UInt32>: [TokenID]] = [:]
}

enum UTF8Encoding {
    @inline(__always)
    static func append(_ value: UInt32, to bytes: inout [UInt8]) {
        switch value {
        case 0..<0x80:
            bytes.append(UInt8(value))
        case 0x80..<0x800:
            bytes.append(UInt8(0xC0 | (value >> 6)))
            bytes.append(UInt8(0x80 | (value & 0x3F)))
        case 0x800..<0x10000:
            bytes.append(UInt8(0xE0 | (value >> 12)))
            bytes.append(UInt8(0x80 | ((value >> 6) & 0x3F)))
            bytes.append(UInt8(0x80 | (value & 0x3F)))
        default:
            bytes.append(UInt8(0xF0 | ((value >> 18) & 0x07)))
            bytes.append(UInt8(0x80 | ((value >> 12) & 0x3F)))
            bytes.append(UInt8(0x80 | ((value >> 6) & 0x3F)))
            bytes.append(UInt8(0x80 | (value & 0x3F)))
        }
    }
}

extension String {
    init(scalarsOf values: some Sequence<UInt32>) {
        var view = String.UnicodeScalarView()
        for value in values {
            if let scalar = Unicode.Scalar(value) { view.append(scalar) }
        }
        self.init(view)
    }
}
