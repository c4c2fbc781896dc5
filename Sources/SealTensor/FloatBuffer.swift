/// A fixed-size, heap-allocated, 64-byte aligned fp32 buffer.
///
/// Kernels work on raw pointers; arrays would add copy-on-write checks and
/// exclusivity bookkeeping to every hot loop. The buffer owns its memory and
/// frees it on deinit. It is `@unchecked Sendable` because the types that hold
/// it either never mutate it after construction (weights) or confine it to one
/// task at a time (sessions and their scratch space).
public final class FloatBuffer: @unchecked Sendable {
    public let count: Int
    public let pointer: UnsafeMutablePointer<Float>

    /// Allocates `count` floats, zero-filled.
    public init(count: Int) {
        precondition(count >= 0, "FloatBuffer count must be non-negative")
        self.count = count
        let raw = UnsafeMutableRawPointer.allocate(
            byteCount: max(count, 1) * MemoryLayout<Float>.stride, alignment: 64)
        pointer = raw.bindMemory(to: Float.self, capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }

    /// Copies `values` into a new buffer.
    public convenience init(_ values: [Float]) {
        self.init(count: values.count)
        values.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { pointer.update(from: base, count: values.count) }
        }
    }

    deinit {
        pointer.deallocate()
    }

    public var buffer: UnsafeMutableBufferPointer<Float> {
        UnsafeMutableBufferPointer(start: pointer, count: count)
    }

    /// A copy of the contents, for tests and serialisation (not for hot paths).
    public var array: [Float] { Array(buffer) }

    public subscript(index: Int) -> Float {
        get {
            precondition(index >= 0 && index < count, "FloatBuffer index out of range")
            return pointer[index]
        }
        set {
            precondition(index >= 0 && index < count, "FloatBuffer index out of range")
            pointer[index] = newValue
        }
    }

    public func fill(_ value: Float) {
        pointer.update(repeating: value, count: count)
    }

    /// Bytes held, for memory accounting.
    public var byteCount: Int { count * MemoryLayout<Float>.stride }
}
