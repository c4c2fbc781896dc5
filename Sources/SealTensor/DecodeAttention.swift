import CSealKernels
import Foundation

/// Attention of one query token over a KV cache in one fused pass (`CSealKernels/seal_attend.h`).
///
/// At long contexts the decode step's attention reads the whole cache once per token; done
/// as two small sgemm calls per KV head and chunk (with f16 chunks widened into scratch
/// first) it ran far below the memory's speed. This kernel scores each key straight from the
/// stored f32 or f16 row, keeps an online softmax and adds the weighted values in the same
/// pass, for all the query heads of a KV head at once, split over KV heads and chunks of keys
/// on the ``DecodePool``. The split depends on the length only, so results do not depend on
/// the thread count.
public enum DecodeAttention {
    /// The largest head dimension and group (query heads per KV head) the kernel takes.
    public static let maximumHeadDimension = Int(SEAL_ATTEND_MAX_HEAD_DIM)
    public static let maximumGroup = Int(SEAL_ATTEND_MAX_GROUP)

    /// How the cache's keys and values rest in memory.
    public enum Cache {
        /// Row-major keys and values.
        case float(keys: UnsafePointer<Float>, values: UnsafePointer<Float>)
        /// IEEE halves: each head's keys in whole blocks of ``HalfBuffer/keyBlock`` positions,
        /// dimension-major (``HalfBuffer/encodeKey(_:headDimension:position:head:)``), values row-major.
        case half(keys: UnsafePointer<UInt16>, values: UnsafePointer<UInt16>)
    }

    /// Dimensions of one call; row `j` of head `h` starts at `h * headStride + j * headDimension`
    /// (for half keys, the block holding it does).
    public struct Shape: Sendable {
        public var keyValueHeads: Int
        public var group: Int
        public var headDimension: Int
        public var headStride: Int

        public init(keyValueHeads: Int, group: Int, headDimension: Int, headStride: Int) {
            self.keyValueHeads = keyValueHeads
            self.group = group
            self.headDimension = headDimension
            self.headStride = headStride
        }

        /// Whether the kernel takes this shape (otherwise use another path).
        public var isSupported: Bool {
            keyValueHeads > 0 && group > 0 && group <= DecodeAttention.maximumGroup && headDimension > 0
                && headDimension <= DecodeAttention.maximumHeadDimension
        }

        /// Floats of scratch one call needs.
        public var scratchCount: Int { Int(seal_attend_decode_scratch(keyValueHeads, group, headDimension)) }
    }

    /// `output[h][g] = softmax(scale · q[h][g] · Kₕᵀ) Vₕ` over positions `0..<length`, for
    /// queries and output laid out `[keyValueHeads][group][headDimension]`. `scratch` holds
    /// `shape.scratchCount` floats; `variant` forces an instruction set (tests). Where
    /// `logSumExp` is given (`[keyValueHeads][group]`), it receives `log Σⱼ exp(scale · q · kⱼ)`
    /// per query head, which is what merging calls over disjoint keys into one softmax takes
    /// (``mergeSoftmax(output:logSumExp:part:partLogSumExp:heads:headDimension:)``). Returns
    /// false, computing nothing, for an unsupported shape.
    @discardableResult
    public static func run(queries: UnsafePointer<Float>, cache: Cache, shape: Shape, length: Int, scale: Float,
                           output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>, threads: Int,
                           logSumExp: UnsafeMutablePointer<Float>? = nil, variant: KernelVariant? = nil) -> Bool {
        guard shape.isSupported, length >= 0, length <= Int.max - HalfBuffer.keyBlock else { return false }
        let rows: Int
        switch cache {
        case .float: rows = length
        case .half: rows = HalfBuffer.wholeKeyBlocks(length)
        }
        let (needed, overflow) = rows.multipliedReportingOverflow(by: shape.headDimension)
        guard !overflow, shape.headStride >= needed else { return false }
        var call = seal_decode_attention()
        call.queries = queries
        switch cache {
        case .float(let keys, let values):
            (call.keys, call.values, call.cache) = (UnsafeRawPointer(keys), UnsafeRawPointer(values), Int32(SEAL_CACHE_F32))
        case .half(let keys, let values):
            (call.keys, call.values, call.cache) = (UnsafeRawPointer(keys), UnsafeRawPointer(values), Int32(SEAL_CACHE_F16))
        }
        call.head_stride = shape.headStride
        call.kv_heads = shape.keyValueHeads
        call.group = shape.group
        call.head_dim = shape.headDimension
        call.length = length
        call.scale = scale
        call.output = output
        call.scratch = scratch
        call.log_sum_exp = logSumExp
        let threads = Int32(clamping: threads)
        let status = if let variant { seal_attend_decode_variant(variant.rawValue, &call, threads) }
                     else { seal_attend_decode(&call, threads) }
        return status == 0
    }

    /// Folds one call's result over other keys (`part`, `partLogSumExp`) into a running one
    /// (`output`, `logSumExp`), both normalised: the result is the softmax over the union of the
    /// two key sets, as if attended in one call. `heads` query heads of `headDimension`.
    public static func mergeSoftmax(output: UnsafeMutablePointer<Float>, logSumExp: UnsafeMutablePointer<Float>,
                                    part: UnsafePointer<Float>, partLogSumExp: UnsafePointer<Float>,
                                    heads: Int, headDimension: Int) {
        for head in 0..<heads {
            let (running, incoming) = (logSumExp[head], partLogSumExp[head])
            if incoming == -.infinity { continue }
            let top = max(running, incoming)
            let (kept, added) = (running == -.infinity ? 0 : expf(running - top), expf(incoming - top))
            let total = kept + added
            let (a, b) = (kept / total, added / total)
            let target = output + head * headDimension
            let source = part + head * headDimension
            for i in 0..<headDimension { target[i] = target[i] * a + source[i] * b }
            logSumExp[head] = top + logf(total)
        }
    }

    /// The variant ``run(queries:cache:shape:length:scale:output:scratch:threads:variant:)`` uses for this head dimension.
    public static func bestVariant(headDimension: Int) -> KernelVariant {
        KernelVariant(rawValue: seal_attend_decode_best(headDimension)) ?? .portable
    }
}
