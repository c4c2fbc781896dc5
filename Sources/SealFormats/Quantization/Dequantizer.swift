import Dispatch
import Foundation

/// Converts ggml-typed tensor data to fp32.
///
/// The results are bit-identical to ggml's reference `dequantize_row_*`
/// functions and gguf-py's numpy dequantizer: each block's fp16 scales are
/// widened exactly and combined in the same order (for example Q4_K computes
/// `(d * scale) * q - (dmin * min)`), so tests can demand exact equality.
/// Inputs are validated once up front; the per-type kernels then work on raw
/// pointers without per-element checks or allocation. Tensors of more than
/// about a million elements are split over the available cores.
public enum Dequantizer {
    /// A kernel converts `blocks` consecutive blocks from `source` into `destination`.
    typealias Kernel = (UnsafeRawPointer, Int, UnsafeMutablePointer<Float>) -> Void

    /// Below this many elements a tensor is converted on the calling thread.
    static let elementsPerWorker = 1 << 20

    /// Converts `count` elements of `type` stored in `source` into `destination`.
    ///
    /// - Parameters:
    ///   - type: the storage type; must be ``GGMLType/isDequantizable``.
    ///   - source: at least the bytes `count` elements of `type` occupy.
    ///   - count: the number of elements, a multiple of ``GGMLType/blockElements``.
    ///   - destination: room for `count` floats.
    /// - Throws: ``ModelFormatError`` (naming an in-memory buffer) when the type is
    ///   not supported, `count` is not whole blocks, or `source` is too short.
    public static func dequantize(
        _ type: GGMLType, from source: UnsafeRawBufferPointer, count: Int, into destination: UnsafeMutablePointer<Float>
    ) throws(ModelFormatError) {
        let file = "(in-memory \(type.name) buffer)"
        guard let kernel = kernel(for: type) else {
            throw ModelFormatError(file: file, kind: .unsupportedTensorType(name: "(buffer)", typeName: type.name))
        }
        guard count >= 0, count % type.blockElements == 0, let needed = type.byteCount(forElements: count) else {
            throw ModelFormatError(
                file: file,
                kind: .rowNotBlockAligned(
                    name: "(buffer)", rowLength: count, typeName: type.name, blockElements: type.blockElements))
        }
        guard source.count >= needed else {
            throw ModelFormatError(
                file: file, kind: .bufferSizeMismatch(name: "(buffer)", needed: needed, provided: source.count))
        }
        guard count > 0, let base = source.baseAddress else { return }
        run(kernel, source: base, blocks: count / type.blockElements, type: type, destination: destination)
    }

    /// The kernel for `type`, or `nil` when it cannot be dequantized.
    static func kernel(for type: GGMLType) -> Kernel? {
        switch type {
        case .f32: PlainKernels.f32
        case .f16: PlainKernels.f16
        case .bf16: PlainKernels.bf16
        case .f64: PlainKernels.f64
        case .i8: PlainKernels.i8
        case .i16: PlainKernels.i16
        case .i32: PlainKernels.i32
        case .i64: PlainKernels.i64
        case .q4_0: LegacyKernels.q4_0
        case .q4_1: LegacyKernels.q4_1
        case .q5_0: LegacyKernels.q5_0
        case .q5_1: LegacyKernels.q5_1
        case .q8_0: LegacyKernels.q8_0
        case .q2_K: KQuantKernels.q2_K
        case .q3_K: KQuantKernels.q3_K
        case .q4_K: KQuantKernels.q4_K
        case .q5_K: KQuantKernels.q5_K
        case .q6_K: KQuantKernels.q6_K
        case .q8_K: KQuantKernels.q8_K
        case .q8_1, .iq2_XXS, .iq2_XS, .iq3_XXS, .iq1_S, .iq4_NL, .iq3_S, .iq2_S, .iq4_XS, .iq1_M,
             .tq1_0, .tq2_0, .mxfp4:
            nil
        }
    }

    /// Pointers handed to worker threads; each worker touches a disjoint range.
    private struct Job: @unchecked Sendable {
        let kernel: Kernel
        let source: UnsafeRawPointer
        let destination: UnsafeMutablePointer<Float>
        let blocks: Int
        let blocksPerWorker: Int
        let blockBytes: Int
        let blockElements: Int
    }

    private static func run(
        _ kernel: @escaping Kernel, source: UnsafeRawPointer, blocks: Int, type: GGMLType,
        destination: UnsafeMutablePointer<Float>
    ) {
        let elements = blocks * type.blockElements
        let workers = min(ProcessInfo.processInfo.activeProcessorCount, elements / elementsPerWorker)
        guard workers > 1 else {
            kernel(source, blocks, destination)
            return
        }
        let job = Job(
            kernel: kernel, source: source, destination: destination, blocks: blocks,
            blocksPerWorker: (blocks + workers - 1) / workers,
            blockBytes: type.blockBytes, blockElements: type.blockElements)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let first = worker * job.blocksPerWorker
            let count = min(job.blocksPerWorker, job.blocks - first)
            guard count > 0 else { return }
            job.kernel(
                job.source + first * job.blockBytes, count, job.destination + first * job.blockElements)
        }
    }
}

/// Widens an IEEE half stored little-endian at `offset` to `Float`, exactly.
@inline(__always)
func loadHalf(_ base: UnsafeRawPointer, _ offset: Int) -> Float {
    halfToFloat(UInt16(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
}

@inline(__always)
func halfToFloat(_ bits: UInt16) -> Float {
    #if arch(x86_64) && os(macOS)
    // Float16 is unavailable on Intel Macs; widen by hand (exact for every input).
    let sign = UInt32(bits & 0x8000) << 16
    let exponent = Int(bits >> 10) & 0x1F
    let mantissa = UInt32(bits & 0x3FF)
    if exponent == 0x1F { return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13)) }
    if exponent == 0 {
        let magnitude = Float(mantissa) * 0x1p-24
        return sign == 0 ? magnitude : -magnitude
    }
    return Float(bitPattern: sign | (UInt32(exponent + 112) << 23) | (mantissa << 13))
    #else
    Float(Float16(bitPattern: bits))
    #endif
}
