import CSealKernels

/// A fixed-size, 64-byte aligned buffer of IEEE half-precision values (the f16 KV cache).
///
/// Values go in and out through ``encode(_:count:at:)`` and ``decode(from:count:into:)``,
/// which run the `CSealKernels` F16C conversions where the CPU has them: fp32 is the
/// arithmetic type everywhere, half precision only how the values rest in memory. Owned and
/// confined like ``FloatBuffer`` (one session at a time), hence `@unchecked Sendable`.
public final class HalfBuffer: @unchecked Sendable {
    public let count: Int
    public let pointer: UnsafeMutablePointer<UInt16>

    /// Allocates `count` halves, zero-filled.
    public init(count: Int) {
        precondition(count >= 0, "HalfBuffer count must be non-negative")
        self.count = count
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * MemoryLayout<UInt16>.stride, alignment: 64)
        pointer = raw.bindMemory(to: UInt16.self, capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }

    deinit {
        pointer.deallocate()
    }

    /// Stores `count` floats from `source` at element `offset` (rounded to nearest even,
    /// saturated at ±65504, see `seal_half.h`).
    @inline(__always)
    public func encode(_ source: UnsafePointer<Float>, count: Int, at offset: Int) {
        seal_f16_encode(source, pointer + offset, count)
    }

    /// Widens `count` halves from element `offset` into `target`.
    @inline(__always)
    public func decode(from offset: Int, count: Int, into target: UnsafeMutablePointer<Float>) {
        seal_f16_decode(pointer + offset, target, count)
    }

    /// Positions per block of the blocked key layout (`seal_half.h`): keys rest dimension-major
    /// in blocks of this many positions, so decode attention scores a block per vector.
    public static let keyBlock = Int(SEAL_F16_KEY_BLOCK)

    /// `positions` rounded up to whole key blocks: the rows one head's blocked keys take.
    /// `positions` must be at most `Int.max - keyBlock`.
    public static func wholeKeyBlocks(_ positions: Int) -> Int {
        (positions + keyBlock - 1) / keyBlock * keyBlock
    }

    /// Stores one key row of `headDimension` floats at `position` of the blocked keys of one
    /// head starting at element `offset` (the head takes whole blocks).
    @inline(__always)
    public func encodeKey(_ row: UnsafePointer<Float>, headDimension: Int, position: Int, head offset: Int) {
        seal_f16_encode_key(row, pointer + offset, position, headDimension)
    }

    /// Widens the keys of positions `rows` of the blocked keys of one head starting at element
    /// `offset` into `target`, row-major `[rows.count][headDimension]`.
    @inline(__always)
    public func decodeKeys(_ rows: Range<Int>, headDimension: Int, head offset: Int, into target: UnsafeMutablePointer<Float>) {
        seal_f16_decode_keys(pointer + offset, rows.lowerBound, rows.count, headDimension, target)
    }

    /// Bytes held, for memory accounting.
    public var byteCount: Int { count * MemoryLayout<UInt16>.stride }
}

/// The half-precision conversions with an explicit instruction-set variant, for tests that
/// check every variant this CPU runs against an independent reference.
public enum HalfConversion {
    public static func encode(_ values: [Float], variant: KernelVariant) -> [UInt16] {
        var out = [UInt16](repeating: 0, count: values.count)
        values.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                if let s = source.baseAddress, let t = target.baseAddress {
                    seal_f16_encode_variant(variant.rawValue, s, t, values.count)
                }
            }
        }
        return out
    }

    public static func decode(_ halves: [UInt16], variant: KernelVariant) -> [Float] {
        var out = [Float](repeating: 0, count: halves.count)
        halves.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                if let s = source.baseAddress, let t = target.baseAddress {
                    seal_f16_decode_variant(variant.rawValue, s, t, halves.count)
                }
            }
        }
        return out
    }
}
