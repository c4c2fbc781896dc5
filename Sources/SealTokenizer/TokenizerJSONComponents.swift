/// Special tokens the post-processor puts around a single sequence.
struct PostProcessorTemplate: Sendable, Equatable {
    /// The spelling of the token before the text (BOS), if any.
    var first: String?
    /// The spelling of the token after the text (EOS), if any.
    var last: String?
}

/// The `normalizer`, `pre_tokenizer`, `decoder` and `post_processor` sections of
/// a tokenizer.json, reduced to what `TokenizerDescription` needs.
///
/// Only the component combinations of the supported families are accepted;
/// each refusal names the component so the user knows what is missing.
struct TokenizerJSONComponents {
    var normalizers: [NormalizerStep] = []
    var metaspace: MetaspaceOptions?
    var addPrefixSpace = false
    var preTokenizer = PreTokenizerPipeline(steps: [])
    var byteLevel = false
    var decodeMetaspace = false
    var leadingSpace = LeadingSpaceRule.keep
    var template = PostProcessorTemplate()

    static func read(_ root: JSONObject) throws(TokenizerError) -> TokenizerJSONComponents {
        var c = TokenizerJSONComponents()
        if let normalizer = try root.optionalObject("normalizer") {
            for leaf in try flatten(normalizer, listKey: "normalizers") {
                c.normalizers.append(try normalizerStep(leaf))
            }
        }
        if let preTokenizer = try root.optionalObject("pre_tokenizer") {
            try c.readPreTokenizers(try flatten(preTokenizer, listKey: "pretokenizers"))
        }
        if let decoder = try root.optionalObject("decoder") {
            try c.readDecoders(try flatten(decoder, listKey: "decoders"))
        }
        if let processor = try root.optionalObject("post_processor") {
            try c.readPostProcessors(try flatten(processor, listKey: "processors"))
        }
        return c
    }

    /// A component and its `Sequence` children, depth first, as leaves.
    static func flatten(_ object: JSONObject, listKey: String) throws(TokenizerError) -> [JSONObject] {
        guard try object.optionalString("type") == "Sequence" else { return [object] }
        var out: [JSONObject] = []
        for child in try object.objects(listKey) {
            out.append(contentsOf: try flatten(child, listKey: listKey))
        }
        return out
    }

    static func unsupported(_ name: String, _ detail: String) -> TokenizerError {
        TokenizerError(.unsupportedComponent(name: name, detail: detail))
    }

    static func scalars(_ string: String) -> [UInt32] {
        string.unicodeScalars.map(\.value)
    }

    /// `{"String": s}` patterns; regex patterns are only supported where named.
    static func literalPattern(_ object: JSONObject, component: String) throws(TokenizerError) -> String {
        let pattern = try object.object("pattern")
        if let string = try pattern.optionalString("String") { return string }
        throw unsupported(component, "only literal String patterns are supported, got \(pattern.dictionary)")
    }

    static func normalizerStep(_ leaf: JSONObject) throws(TokenizerError) -> NormalizerStep {
        let type = try leaf.string("type")
        switch type {
        case "Prepend":
            return .prepend(scalars(try leaf.string("prepend")))
        case "Replace":
            let pattern = try literalPattern(leaf, component: "normalizer Replace")
            return .replace(pattern: scalars(pattern), content: scalars(try leaf.string("content")))
        case "NFC":
            return .nfc
        default:
            throw unsupported("normalizer \(type)", "supported normalizers: Sequence, Prepend, Replace, NFC")
        }
    }

    mutating func readPreTokenizers(_ leaves: [JSONObject]) throws(TokenizerError) {
        var steps: [PreTokenizerStep] = []
        for (index, leaf) in leaves.enumerated() {
            let type = try leaf.string("type")
            switch type {
            case "ByteLevel":
                guard index == leaves.count - 1 else {
                    throw Self.unsupported("pre_tokenizer ByteLevel", "ByteLevel must be the last pre-tokenizer")
                }
                byteLevel = true
                if try leaf.optionalBool("add_prefix_space") == true {
                    guard index == 0 else {
                        throw Self.unsupported(
                            "pre_tokenizer ByteLevel", "add_prefix_space is only supported on a lone ByteLevel")
                    }
                    addPrefixSpace = true
                }
                if try leaf.optionalBool("use_regex") ?? true {
                    steps.append(.split(.gpt2))
                }
            case "Split":
                steps.append(.split(try Self.splitPattern(leaf)))
            case "Digits":
                steps.append(.digits(individual: try leaf.optionalBool("individual_digits") ?? false))
            case "Metaspace":
                guard leaves.count == 1 else {
                    throw Self.unsupported("pre_tokenizer Metaspace", "Metaspace combined with other pre-tokenizers")
                }
                let options = try Self.metaspaceOptions(leaf)
                metaspace = options
                if options.split { steps.append(.metaspaceSplit(replacement: options.replacement)) }
            default:
                throw Self.unsupported(
                    "pre_tokenizer \(type)", "supported pre-tokenizers: Sequence, Split, ByteLevel, Digits, Metaspace")
            }
        }
        preTokenizer = PreTokenizerPipeline(steps: steps)
    }

    static func splitPattern(_ leaf: JSONObject) throws(TokenizerError) -> SplitPattern {
        let behavior = try leaf.optionalString("behavior") ?? "Isolated"
        guard behavior == "Isolated", try leaf.optionalBool("invert") != true else {
            throw unsupported("pre_tokenizer Split", "only behavior Isolated without invert is supported, got \(behavior)")
        }
        let pattern = try leaf.object("pattern")
        guard let regex = try pattern.optionalString("Regex") else {
            throw unsupported("pre_tokenizer Split", "only Regex patterns are supported, got \(pattern.dictionary)")
        }
        guard let known = SplitPattern.allCases.first(where: { $0.regexSource == regex }) else {
            throw unsupported(
                "pre_tokenizer Split", "regex \(regex) is not one of the implemented GPT-2 / Llama-3 / Qwen2 patterns")
        }
        return known
    }

    static func metaspaceOptions(_ leaf: JSONObject) throws(TokenizerError) -> MetaspaceOptions {
        let replacement = scalars(try leaf.optionalString("replacement") ?? "\u{2581}")
        guard replacement.count == 1 else {
            throw unsupported("Metaspace", "replacement must be a single character")
        }
        var scheme = MetaspaceOptions.PrependScheme.always
        if let name = try leaf.optionalString("prepend_scheme") {
            guard let parsed = MetaspaceOptions.PrependScheme(rawValue: name) else {
                throw unsupported("Metaspace", "unknown prepend_scheme '\(name)'")
            }
            scheme = parsed
        } else if try leaf.optionalBool("add_prefix_space") == false {
            scheme = .never
        }
        let split = try leaf.optionalBool("split") ?? true
        return MetaspaceOptions(replacement: replacement[0], prependScheme: scheme, split: split)
    }

    mutating func readDecoders(_ leaves: [JSONObject]) throws(TokenizerError) {
        for leaf in leaves {
            let type = try leaf.string("type")
            switch type {
            case "ByteLevel", "ByteFallback", "Fuse":
                break  // byte-level and `<0xNN>` tokens are decoded from the vocabulary itself
            case "Replace":
                let pattern = try Self.literalPattern(leaf, component: "decoder Replace")
                let content = try leaf.string("content")
                guard pattern == "\u{2581}", content == " " else {
                    throw Self.unsupported("decoder Replace", "only \"▁\" -> \" \" is supported")
                }
                decodeMetaspace = true
            case "Strip":
                let content = try leaf.optionalString("content") ?? " "
                let start = try leaf.optionalInt("start") ?? 0
                let stop = try leaf.optionalInt("stop") ?? 0
                guard content == " ", start <= 1, stop == 0 else {
                    throw Self.unsupported("decoder Strip", "only stripping one leading space is supported")
                }
                leadingSpace = start == 1 ? .stripOne : .keep
            case "Metaspace":
                let options = try Self.metaspaceOptions(leaf)
                decodeMetaspace = true
                leadingSpace = options.prependScheme != .never ? .dropFromFirstToken : .keep
            default:
                throw Self.unsupported(
                    "decoder \(type)", "supported decoders: Sequence, ByteLevel, ByteFallback, Fuse, Replace, Strip, Metaspace")
            }
        }
    }

    mutating func readPostProcessors(_ leaves: [JSONObject]) throws(TokenizerError) {
        for leaf in leaves {
            let type = try leaf.string("type")
            switch type {
            case "ByteLevel":
                break
            case "TemplateProcessing":
                guard let single = leaf.dictionary["single"] as? [Any] else {
                    throw Self.unsupported("post_processor TemplateProcessing", "'single' is not a list")
                }
                var seenSequence = false
                for item in single {
                    guard let object = item as? [String: Any] else { continue }
                    if object["Sequence"] != nil {
                        seenSequence = true
                    } else if let special = object["SpecialToken"] as? [String: Any], let name = special["id"] as? String {
                        if seenSequence { template.last = name } else { template.first = name }
                    }
                }
            default:
                throw Self.unsupported("post_processor \(type)", "supported: ByteLevel, TemplateProcessing, Sequence")
            }
        }
    }
}
