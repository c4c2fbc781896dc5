import CSealKernels

/// Where a buffer's memory comes from.
///
/// Weights are read in full by every decode step, so they live in memory backed by huge pages
/// (`seal_memory.h`): fewer TLB misses and page walks, and hardware prefetchers that do not stop
/// every 4 KiB. That memory is carved from slabs and never reused within one, so it is only for
/// buffers that live as long as their model; everything else comes from the ordinary heap.
public enum BufferMemory: Sendable {
    /// The process heap: scratch space, caches, anything freed before its model.
    case heap
    /// Huge-page slabs shared by the matrices of a model, allocated in load order.
    case weights

    /// `bytes` (at least 1) of zero-filled, 64-byte aligned memory.
    func allocate(bytes: Int) -> UnsafeMutableRawPointer {
        switch self {
        case .heap:
            let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
            raw.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
            return raw
        case .weights:
            // Sizes come from tensors that exist in a checked model file; running out here is
            // running out of memory, which the heap's allocator also cannot survive.
            guard let raw = seal_weight_memory_allocate(bytes) else {
                fatalError("out of memory: \(bytes) bytes of weights could not be mapped")
            }
            return raw
        }
    }

    /// Returns memory from ``allocate(bytes:)`` of the same case.
    func free(_ pointer: UnsafeMutableRawPointer) {
        switch self {
        case .heap: pointer.deallocate()
        case .weights: seal_weight_memory_free(pointer)
        }
    }
}
