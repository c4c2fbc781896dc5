/// One stage of pre-tokenization: it cuts each piece into smaller pieces.
enum PreTokenizerStep: Sendable, Equatable {
    /// Hugging Face `Digits`: every `\p{N}` scalar alone (`individual`) or runs of them.
    case digits(individual: Bool)
    /// A split regex applied with "isolated" behaviour (matches become pieces).
    case split(SplitPattern)
    /// Hugging Face `Metaspace` with `split: true`: a new piece starts at every
    /// occurrence of the replacement scalar (merged with the text that follows).
    case metaspaceSplit(replacement: UInt32)
}

/// An ordered list of pre-tokenization stages.
///
/// A BPE model is applied to each final piece separately, so where the pieces
/// end decides which merges can happen; this is what `tokenizer.ggml.pre`
/// (GGUF) and the `pre_tokenizer` section (tokenizer.json) describe.
struct PreTokenizerPipeline: Sendable, Equatable {
    var steps: [PreTokenizerStep]

    /// `tokenizer.ggml.pre` values and the pipelines they stand for, as in llama.cpp.
    static func forGGUF(pre name: String) throws(TokenizerError) -> PreTokenizerPipeline {
        if gpt2Names.contains(name) { return PreTokenizerPipeline(steps: [.split(.gpt2)]) }
        if digitsThenGPT2Names.contains(name) {
            return PreTokenizerPipeline(steps: [.digits(individual: true), .split(.gpt2)])
        }
        if llama3Names.contains(name) { return PreTokenizerPipeline(steps: [.split(.llama3)]) }
        if qwen2Names.contains(name) { return PreTokenizerPipeline(steps: [.split(.qwen2)]) }
        throw TokenizerError(.unknownPreTokenizer(name))
    }

    static let gpt2Names: Set<String> = ["default", "gpt2", "gpt-2", "phi-2", "mpt", "olmo", "jais"]
    static let digitsThenGPT2Names: Set<String> = [
        "smollm", "starcoder", "refact", "command-r", "codeshell", "exaone", "minerva-7b",
    ]
    static let llama3Names: Set<String> = ["llama-bpe", "llama3", "llama-v3", "smaug-bpe"]
    static let qwen2Names: Set<String> = ["qwen2", "deepseek-r1-qwen", "megrez"]

    static var supportedGGUFNames: [String] {
        (gpt2Names.union(digitsThenGPT2Names).union(llama3Names).union(qwen2Names)).sorted()
    }

    /// Cuts `text` into pieces (index ranges into its scalars).
    func split(_ text: ScalarText) -> [Range<Int>] {
        var pieces: [Range<Int>] = text.count > 0 ? [0..<text.count] : []
        var nextPieces: [Range<Int>] = []
        for step in steps {
            nextPieces.removeAll(keepingCapacity: true)
            for piece in pieces {
                Self.apply(step, text, piece, into: &nextPieces)
            }
            swap(&pieces, &nextPieces)
        }
        return pieces
    }

    private static func apply(
        _ step: PreTokenizerStep, _ text: ScalarText, _ range: Range<Int>, into pieces: inout [Range<Int>]
    ) {
        switch step {
        case .split(let pattern):
            pattern.split(text, range, into: &pieces)
        case .digits(let individual):
            var start = range.lowerBound
            while start < range.upperBound {
                var end = start + 1
                let isNumber = text.classes[start] == .number
                if !(isNumber && individual) {
                    while end < range.upperBound, (text.classes[end] == .number) == isNumber { end += 1 }
                }
                pieces.append(start..<end)
                start = end
            }
        case .metaspaceSplit(let replacement):
            var start = range.lowerBound
            var i = start + 1
            while i < range.upperBound {
                if text.scalars[i] == replacement {
                    pieces.append(start..<i)
                    start = i
                }
                i += 1
            }
            if start < range.upperBound { pieces.append(start..<range.upperBound) }
        }
    }
}
