import CSealKernels

/// A fixed-size, 64-byte aligned fp32 buffer.
///
/// Kernels work on raw pointers; arrays would add copy-on-write checks and
/// exclusivity bookkeeping to every hot loop. The buffer owns its memory and
/// frees it on deinit. It is `@unchecked Sendable` because the types that hold
/// it either never mutate it after construction (weights) or confine it to one
/// task at a time (sessions and their scratch space).
public final class FloatBuffer: @unchecked Sendable {
    public let count: Int
    public let pointer: UnsafeMutablePointer<Float>
    /// Where the memory came from, so that deinit returns it there.
    public let memory: BufferMemory

    /// Allocates `count` floats, zero-filled, from `memory`.
    public init(count: Int, memory: BufferMemory = .heap) {
        precondition(count >= 0, "FloatBuffer count must be non-negative")
        self.count = count
        self.memory = memory
        let bytes = max(count, 1) * MemoryLayout<Float>.stride
        pointer = memory.allocate(bytes: bytes).bindMemory(to: Float.self, capacity: max(count, 1))
    }

    /// Copies `values` into a new buffer.
    public convenience init(_ values: [Float], memory: BufferMemory = .heap) {
        self.init(count: values.count, memory: memory)
        values.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { pointer.update(from: base, count: values.count) }
        }
    }

    deinit {
        memory.free(UnsafeMutableRawPointer(pointer))
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
