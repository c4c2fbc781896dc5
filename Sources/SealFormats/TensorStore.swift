/// A read-only collection of named tensors, whatever file format holds them.
///
/// The model loader is written once against this protocol and so serves GGUF
/// files and Hugging Face safetensors checkpoints alike. Shapes are row-major,
/// outermost dimension first (a linear layer's weight is `[out, in]`), which is
/// the Hugging Face convention; GGUF's `ne` order is reversed to match.
public protocol TensorStore: Sendable {
    /// Where the tensors come from (a path), used in error messages.
    var sourceDescription: String { get }
    /// All tensor names, in file order.
    var tensorNames: [String] { get }
    /// Row-major shape, outermost first, or `nil` if no such tensor exists.
    func shape(of name: String) -> [Int]?
    /// The tensor converted (dequantized) to fp32, in row-major order.
    func loadFloat32(_ name: String) throws(ModelFormatError) -> [Float]
    /// The tensor converted to fp32 into caller-provided memory (for example a
    /// weight arena), avoiding an intermediate array. `destination` must hold at
    /// least the tensor's element count; exactly that many floats are written.
    func loadFloat32(_ name: String, into destination: UnsafeMutableBufferPointer<Float>) throws(ModelFormatError)
}

extension TensorStore {
    /// Default: load into an array and copy, for stores without a direct path.
    public func loadFloat32(
        _ name: String, into destination: UnsafeMutableBufferPointer<Float>
    ) throws(ModelFormatError) {
        let values = try loadFloat32(name)
        guard destination.count >= values.count, let base = destination.baseAddress else {
            if values.isEmpty { return }
            throw ModelFormatError(
                file: sourceDescription,
                kind: .bufferSizeMismatch(name: name, needed: values.count, provided: destination.count))
        }
        values.withUnsafeBufferPointer { source in
            if let from = source.baseAddress { base.update(from: from, count: values.count) }
        }
    }
}
