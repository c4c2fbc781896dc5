/// Construction of the lookup tables `Tokenizer` encodes and decodes with.
extension Tokenizer {
    static func makeDecodedBytes(_ d: TokenizerDescription) -> [[UInt8]] {
        var out: [[UInt8]] = []
        out.reserveCapacity(d.tokens.count)
        for (token, kind) in zip(d.tokens, d.kinds) {
            switch kind {
            case .control, .unknown, .userDefined:
                out.append(Array(token.utf8))
            case .byte:
                if let byte = ByteTokenSpelling.byte(of: token) {
                    out.append([byte])
                } else {
                    out.append(Array(token.utf8))
                }
            case .normal, .unused:
                switch d.alphabet {
                case .byteLevel:
                    out.append(ByteLevelAlphabet.bytes(ofToken: token) ?? Array(token.utf8))
                case .scalars:
                    if d.decodeMetaspace {
                        out.append(Array(token.replacingMetaspace().utf8))
                    } else {
                        out.append(Array(token.utf8))
                    }
                }
            }
        }
        return out
    }

    static func makeSymbolTables(
        _ d: TokenizerDescription, _ idForToken: [String: TokenID]
    ) throws(TokenizerError) -> ([TokenID], [UInt32: TokenID]) {
        var bytes = [TokenID](repeating: -1, count: 256)
        var scalars: [UInt32: TokenID] = [:]
        switch d.alphabet {
        case .byteLevel:
            for byte in 0..<256 {
                guard let scalar = Unicode.Scalar(ByteLevelAlphabet.scalarForByte[byte]) else { continue }
                // Vocabularies may omit bytes that never occur in their training
                // data (SmolLM2 lacks 21); such bytes are dropped, as in HF.
                bytes[byte] = idForToken[String(scalar)] ?? -1
            }
        case .scalars(let byteFallback, _):
            if byteFallback {
                for byte in 0..<256 {
                    bytes[byte] = idForToken[ByteTokenSpelling.spelling(of: UInt8(byte))] ?? -1
                }
            }
            for (index, token) in d.tokens.enumerated() {
                var iterator = token.unicodeScalars.makeIterator()
                if let first = iterator.next(), iterator.next() == nil {
                    scalars[first.value] = TokenID(index)
                }
            }
        }
        return (bytes, scalars)
    }

    static func makeMergeTable(
        _ d: TokenizerDescription, _ idForToken: [String: TokenID]
    ) throws(TokenizerError) -> MergeTable {
        var table = MergeTable()
        switch d.merges {
        case .ranked(let pairs):
            for (rank, (left, right)) in pairs.enumerated() {
                guard let leftID = idForToken[left], let rightID = idForToken[right],
                    let result = idForToken[left + right]
                else {
                    throw TokenizerError(.malformedMerge(index: rank, merge: "\(left) \(right)"))
                }
                table.insert(left: leftID, right: rightID, rank: UInt32(rank), result: result)
            }
        case .scores(let scores):
            guard scores.count == d.tokens.count else {
                throw TokenizerError(.mismatchedArrayLengths(key: "scores", expected: d.tokens.count, actual: scores.count))
            }
            table = sentencePieceMerges(d.tokens, scores, idForToken)
        }
        return table
    }

    /// Merge rules from SentencePiece scores, as Hugging Face's Llama converter
    /// derives them: every split of a piece into two vocabulary pieces is a rule,
    /// ranked by the score of the joined piece (highest first); ties keep
    /// vocabulary order of the joined piece, then the ids of the two halves.
    static func sentencePieceMerges(_ tokens: [String], _ scores: [Float], _ idForToken: [String: TokenID]) -> MergeTable {
        struct Rule {
            var left: TokenID
            var right: TokenID
            var result: TokenID
            var score: Float
            var order: Int
        }
        var rules: [Rule] = []
        var local: [Rule] = []
        for (index, piece) in tokens.enumerated() {
            let scalars = piece.unicodeScalars
            guard scalars.count >= 2, let result = idForToken[piece] else { continue }
            local.removeAll(keepingCapacity: true)
            var split = scalars.index(after: scalars.startIndex)
            while split < scalars.endIndex {
                defer { split = scalars.index(after: split) }
                guard let left = idForToken[String(scalars[..<split])],
                    let right = idForToken[String(scalars[split...])]
                else { continue }
                local.append(Rule(left: left, right: right, result: result, score: scores[index], order: index))
            }
            local.sort { ($0.left, $0.right) < ($1.left, $1.right) }
            for var rule in local {
                rule.order = rules.count
                rules.append(rule)
            }
        }
        rules.sort { $0.score != $1.score ? $0.score > $1.score : $0.order < $1.order }
        var table = MergeTable()
        for (rank, rule) in rules.enumerated() {
            table.insert(left: rule.left, right: rule.right, rank: UInt32(rank), result: rule.result)
        }
        return table
    }
}

extension ByteTokenSpelling {
    /// `<0xNN>` with upper-case hex digits, as SentencePiece spells byte pieces.
    static func spelling(of byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "<0x\(digits[Int(byte >> 4)])\(digits[Int(byte & 0xF)])>"
    }
}

extension String {
    /// "▁" (U+2581, SentencePiece's visible space) back to " ".
    func replacingMetaspace() -> String {
        var view = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            view.append(scalar.value == 0x2581 ? " " : scalar)
        }
        return String(view)
    }
}
