import SealTensor
import SealTokenizer

extension InferenceSession {
    /// Appends `tokens` and shows `visit` the logits after every one of them, in
    /// order, each as a view of the session's scratch (valid only during the
    /// call); returns the logits after the last token, as ``append(_:)`` does.
    ///
    /// This is what prompt log-likelihoods need (OpenAI's `echo`, scoring) without
    /// copying a vocabulary-sized row per position. Each block runs once when the
    /// session was made with `maximumOutputRows >= blockSize`; otherwise a block is
    /// rerun for every `maximumOutputRows` rows it holds.
    @discardableResult
    public func append(_ tokens: [TokenID],
                       visitingLogits visit: (_ index: Int, _ logits: UnsafeBufferPointer<Float>) -> Void) throws(SealModelError) -> Logits {
        guard !tokens.isEmpty else {
            throw SealModelError(.invalidConfiguration(key: "tokens", reason: "at least one token is needed"))
        }
        try admit(tokens)
        let vocabulary = model.configuration.vocabularySize
        var lastSlot = 0
        var index = 0
        while index < tokens.count {
            let rows = min(workspace.blockSize, tokens.count - index)
            let start = count
            var done = 0
            while done < rows {
                let batch = min(workspace.maximumOutputRows, rows - done)
                count = start
                tokens.withUnsafeBufferPointer { all in
                    forward(UnsafeBufferPointer(rebasing: all[index..<(index + rows)]),
                            outputRows: .list(Array(done..<(done + batch))))
                }
                for slot in 0..<batch {
                    visit(index + done + slot, UnsafeBufferPointer(start: workspace.logits.pointer + slot * vocabulary, count: vocabulary))
                }
                lastSlot = batch - 1
                done += batch
            }
            index += rows
        }
        return Logits(storage: workspace.logits, offset: lastSlot * vocabulary, count: vocabulary)
    }
}
