import SealTensor

/// The logits after the last processed token, viewed in the session's buffer.
///
/// It holds a reference to that buffer, so the memory stays valid even if the
/// session itself is released; its values change when the session processes
/// more tokens. Creating one allocates nothing, which keeps the decode loop
/// allocation-free (copy with `Array(logits)` to keep values).
public struct Logits: RandomAccessCollection, @unchecked Sendable {
    private let storage: FloatBuffer
    private let offset: Int
    public let count: Int

    init(storage: FloatBuffer, offset: Int = 0, count: Int) {
        precondition(offset >= 0 && offset + count <= storage.count, "logits view outside its buffer")
        self.storage = storage
        self.offset = offset
        self.count = count
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(index: Int) -> Float {
        precondition(index >= 0 && index < count, "logit index out of range")
        return storage.pointer[offset + index]
    }

    /// Direct access for kernels (samplers, argmax). Typed throws, so a caller's own error
    /// type (a sampler's `GenerationError`) passes through unerased.
    public func withUnsafeBufferPointer<R, E: Error>(_ body: (UnsafeBufferPointer<Float>) throws(E) -> R) throws(E) -> R {
        try withExtendedLifetime(storage) { () throws(E) -> R in
            try body(UnsafeBufferPointer(start: storage.pointer + offset, count: count))
        }
    }

    /// The most likely token id (first on ties).
    public var argmax: Int {
        withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
            return Kernels.argmax(base, count: buffer.count).index
        }
    }
}
