/// One `[rows, columns]` row-major weight matrix in the storage chosen at load.
///
/// fp32 matrices wrap the loaded ``FloatBuffer`` (the reference path: products go straight to
/// OpenBLAS). bf16 and Q8_0 matrices hold only their compact form: decode multiplies them with
/// the `CSealKernels` kernels and prefill dequantizes a tile of rows at a time into caller scratch for
/// sgemm, so no fp32 copy of the matrix is ever resident.
///
/// `@unchecked Sendable`: the memory is written once in the initialiser and only read after.
public final class WeightMatrix: @unchecked Sendable {
    public let rows: Int
    public let columns: Int
    public let storage: WeightStorage
    /// The fp32 values when `storage == .f32`; `nil` otherwise.
    public let float32: FloatBuffer?
    /// bf16 values `[rows * columns]` when `storage == .bf16`.
    let halves: UnsafeMutablePointer<UInt16>?
    /// Q8_0 quants `[rows * columns]` and one scale per 32 of them, when `storage == .q8_0`.
    let quants: UnsafeMutablePointer<Int8>?
    let scales: UnsafeMutablePointer<Float>?

    /// Wraps fp32 weights without copying.
    public init(float32 buffer: FloatBuffer, rows: Int, columns: Int) {
        precondition(rows >= 0 && columns >= 0 && buffer.count == rows * columns, "matrix shape does not match its buffer")
        self.rows = rows
        self.columns = columns
        storage = .f32
        float32 = buffer
        halves = nil
        quants = nil
        scales = nil
    }

    /// Converts fp32 values (`rows * columns` of them) into `storage`.
    ///
    /// bf16 rounds to nearest even; Q8_0 gives each 32-value block the scale `max|v| / 127`.
    /// Q8_0 and bf16 need `columns` to be a multiple of 32 (see ``WeightStorage/fits(columns:)``).
    public convenience init(converting values: UnsafePointer<Float>, rows: Int, columns: Int, to storage: WeightStorage) {
        self.init(allocating: storage, rows: rows, columns: columns)
        let count = rows * columns
        switch storage {
        case .f32:
            float32?.pointer.update(from: values, count: count)
        case .bf16:
            guard let halves else { return }
            for i in 0..<count { halves[i] = NumericConversions.bfloat16(values[i]) }
        case .q8_0:
            guard let quants, let scales else { return }
            for b in 0..<(count / Q8Block.size) {
                scales[b] = NumericConversions.quantizeBlock(values + b * Q8Block.size, into: quants + b * Q8Block.size)
            }
        }
    }

    /// Zero-filled storage of the given form, for the converting initialisers.
    init(allocating storage: WeightStorage, rows: Int, columns: Int) {
        precondition(rows >= 0 && columns >= 0, "matrix shape must be non-negative")
        precondition(storage == .f32 || storage.fits(columns: columns), "\(storage) needs columns in multiples of 32")
        self.rows = rows
        self.columns = columns
        self.storage = storage
        let count = rows * columns
        float32 = storage == .f32 ? FloatBuffer(count: count, memory: .weights) : nil
        halves = storage == .bf16 ? Self.allocate(UInt16.self, count) : nil
        quants = storage == .q8_0 ? Self.allocate(Int8.self, count) : nil
        scales = storage == .q8_0 ? Self.allocate(Float.self, count / Q8Block.size) : nil
    }

    deinit {
        if let halves { BufferMemory.weights.free(halves) }
        if let quants { BufferMemory.weights.free(quants) }
        if let scales { BufferMemory.weights.free(scales) }
    }

    /// Zero-filled weight memory (huge pages, see ``BufferMemory/weights``) for `count` values.
    private static func allocate<T>(_ type: T.Type, _ count: Int) -> UnsafeMutablePointer<T> {
        BufferMemory.weights.allocate(bytes: max(count, 1) * MemoryLayout<T>.stride)
            .bindMemory(to: T.self, capacity: max(count, 1))
    }

    /// Bytes held (scales included).
    public var byteCount: Int {
        switch storage {
        case .f32: rows * columns * 4
        case .bf16: rows * columns * 2
        case .q8_0: rows * columns + rows * columns / Q8Block.size * 4
        }
    }

    /// The memory a product with this matrix reads (values, and Q8_0's scales), for the
    /// benchmark's read probe, which streams the same pages a decode step does. The buffers are
    /// valid only while this matrix lives.
    public var storedBytes: [UnsafeRawBufferPointer] {
        let count = rows * columns
        if let float32 { return [UnsafeRawBufferPointer(start: float32.pointer, count: count * 4)] }
        if let halves { return [UnsafeRawBufferPointer(start: halves, count: count * 2)] }
        if let quants, let scales {
            return [UnsafeRawBufferPointer(start: quants, count: count),
                    UnsafeRawBufferPointer(start: scales, count: count / Q8Block.size * 4)]
        }
        return []
    }

    /// Writes rows `range` as fp32 into `out` (`range.count * columns` floats).
    public func dequantize(rows range: Range<Int>, into out: UnsafeMutablePointer<Float>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows, "row range outside the matrix")
        let first = range.lowerBound * columns
        let count = range.count * columns
        if let float32 {
            out.update(from: float32.pointer + first, count: count)
        } else if let halves {
            let source = halves + first
            for i in 0..<count { out[i] = Float(bitPattern: UInt32(source[i]) << 16) }
        } else if let quants, let scales {
            let source = quants + first
            let blockScales = scales + first / Q8Block.size
            for b in 0..<(count / Q8Block.size) {
                let scale = blockScales[b]
                let block = source + b * Q8Block.size
                let target = out + b * Q8Block.size
                for j in 0..<Q8Block.size { target[j] = Float(block[j]) * scale }
            }
        }
    }
}

extension WeightStorage {
    /// Whether a matrix with rows of `columns` values can use this storage (bf16 and Q8_0 work
    /// in 32-value chunks; a matrix that does not fit stays fp32).
    public func fits(columns: Int) -> Bool {
        self == .f32 || (columns > 0 && columns % Q8Block.size == 0)
    }
}
