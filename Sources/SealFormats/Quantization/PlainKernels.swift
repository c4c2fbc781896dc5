/// Kernels for unquantized types: one element per "block".
///
/// Sources may be unaligned (safetensors only guarantees byte offsets), so all
/// loads are unaligned loads of little-endian values.
enum PlainKernels {
    static func f32(_ source: UnsafeRawPointer, _ count: Int, _ destination: UnsafeMutablePointer<Float>) {
        for i in 0..<count {
            destination[i] = Float(bitPattern: UInt32(littleEndian: source.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)))
        }
    }

    static func f16(_ source: UnsafeRawPointer, _ count: Int, _ destination: UnsafeMutablePointer<Float>) {
        for i in 0..<count {
            destination[i] = loadHalf(source, i * 2)
        }
    }

    /// bfloat16 is the upper half of an fp32, so widening is a shift.
    static func bf16(_ source: UnsafeRawPointer, _ count: Int, _ destination: UnsafeMutablePointer<Float>) {
        for i in 0..<count {
            let bits = UInt16(littleEndian: source.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self))
            destination[i] = Float(bitPattern: UInt32(bits) << 16)
        }
    }

    /// Rounds to nearest, like numpy's `astype(np.float32)`.
    static func f64(_ source: UnsafeRawPointer, _ count: Int, _ destination: UnsafeMutablePointer<Float>) {
        for i in 0..<count {
            let bits = UInt64(littleEndian: source.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self))
            destination[i] = Float(Double(bitPattern: bits))
        }
    }

    static func i8(_ source: UnsafeRawPointer, _ count: Int, _ destination: UnsafeMutablePointer<Float>) {
        for i in 0..<count {
            destination[i] = Float(source.load(fromByteOffset: i, as: Int8.self))
        }
    }

    static func i16(_ source: UnsafeRawPointer, _ count: Int, _ destination: UnsafeMutablePointer<Float>) {
        for i in 0..<count {
            destination[i] = Float(Int16(littleEndian: source.loadUnaligned(fromByteOffset: i * 2, as: Int16.self)))
        }
    }

    static func i32(_ source: UnsafeRawPointer, _ count: Int, _ destination: UnsafeMutablePointer<Float>) {
        for i in 0..<count {
            destination[i] = Float(Int32(littleEndian: source.loadUnaligned(fromByteOffset: i * 4, as: Int32.self)))
        }
    }

    static func i64(_ source: UnsafeRawPointer, _ count: Int, _ destination: UnsafeMutablePointer<Float>) {
        for i in 0..<count {
            destination[i] = Float(Int64(littleEndian: source.loadUnaligned(fromByteOffset: i * 8, as: Int64.self)))
        }
    }
}
