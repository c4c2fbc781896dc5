/// A cursor over untrusted little-endian bytes that throws instead of reading
/// past the end.
///
/// Every count and length in a model file header is attacker- or
/// corruption-controlled. The reader checks each read against the bytes that
/// remain and reports a ``ModelFormatError/Kind/truncated(needed:at:fileSize:while:)``
/// that says what was being read, so a truncated download produces a useful
/// message rather than a crash. ``activity`` is set by the caller before a group
/// of reads ("reading the metadata key #3") and quoted in that message.
public struct ByteReader {
    /// The bytes being read; they must outlive the reader.
    public let bytes: UnsafeRawBufferPointer
    /// The file named in errors.
    public let file: String
    /// The offset of the next byte to read.
    public private(set) var offset: Int = 0
    /// What the caller is reading, quoted in truncation errors.
    public var activity: String = "reading the header"

    public init(bytes: UnsafeRawBufferPointer, file: String) {
        self.bytes = bytes
        self.file = file
    }

    /// The number of bytes left after ``offset``.
    public var remaining: Int { bytes.count - offset }

    /// Throws a truncation error unless `count` more bytes are available.
    public func require(_ count: Int) throws(ModelFormatError) {
        guard count >= 0, count <= remaining else {
            throw ModelFormatError(
                file: file,
                kind: .truncated(needed: max(count, 0), at: offset, fileSize: bytes.count, while: activity))
        }
    }

    /// Moves the cursor forward by `count` bytes.
    public mutating func skip(_ count: Int) throws(ModelFormatError) {
        try require(count)
        offset += count
    }

    /// Moves the cursor to `newOffset`, which must lie within the bytes.
    public mutating func seek(to newOffset: Int) throws(ModelFormatError) {
        guard newOffset >= 0, newOffset <= bytes.count else {
            throw ModelFormatError(
                file: file,
                kind: .truncated(needed: 0, at: newOffset, fileSize: bytes.count, while: activity))
        }
        offset = newOffset
    }

    @inline(__always)
    private mutating func readInteger<T: FixedWidthInteger>(_: T.Type) throws(ModelFormatError) -> T {
        try require(MemoryLayout<T>.size)
        guard let base = bytes.baseAddress else {
            // Unreachable: `require` fails on an empty buffer for any non-zero size.
            throw ModelFormatError(
                file: file, kind: .truncated(needed: MemoryLayout<T>.size, at: offset, fileSize: 0, while: activity))
        }
        let value = base.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += MemoryLayout<T>.size
        return T(littleEndian: value)
    }

    // Fixed-width little-endian reads; each throws `.truncated` at the end of the bytes.

    public mutating func readUInt8() throws(ModelFormatError) -> UInt8 { try readInteger(UInt8.self) }
    public mutating func readInt8() throws(ModelFormatError) -> Int8 { try readInteger(Int8.self) }
    public mutating func readUInt16() throws(ModelFormatError) -> UInt16 { try readInteger(UInt16.self) }
    public mutating func readInt16() throws(ModelFormatError) -> Int16 { try readInteger(Int16.self) }
    public mutating func readUInt32() throws(ModelFormatError) -> UInt32 { try readInteger(UInt32.self) }
    public mutating func readInt32() throws(ModelFormatError) -> Int32 { try readInteger(Int32.self) }
    public mutating func readUInt64() throws(ModelFormatError) -> UInt64 { try readInteger(UInt64.self) }
    public mutating func readInt64() throws(ModelFormatError) -> Int64 { try readInteger(Int64.self) }

    public mutating func readFloat32() throws(ModelFormatError) -> Float {
        Float(bitPattern: try readUInt32())
    }

    public mutating func readFloat64() throws(ModelFormatError) -> Double {
        Double(bitPattern: try readUInt64())
    }

    /// Reads a GGUF boolean: one byte, non-zero meaning true.
    public mutating func readBool() throws(ModelFormatError) -> Bool {
        try readUInt8() != 0
    }

    /// Reads a `UInt64` length or count and checks that that many items of at
    /// least `elementSize` bytes each could still fit in the remaining bytes,
    /// so that the caller may allocate from it safely. `what` names the count
    /// in the error ("the tensor count").
    public mutating func readCount(elementSize: Int, what: String) throws(ModelFormatError) -> Int {
        let at = offset
        let raw = try readUInt64()
        let fits = elementSize <= 0 ? UInt64(remaining) : UInt64(remaining / elementSize)
        guard raw <= fits, let count = Int(exactly: raw) else {
            let needed = raw > UInt64(Int.max / max(elementSize, 1))
                ? Int.max : Int(raw) * max(elementSize, 1)
            throw ModelFormatError(
                file: file,
                kind: .truncated(
                    needed: needed, at: at + 8, fileSize: bytes.count,
                    while: "\(activity) (\(what) is \(raw), more than the rest of the file can hold)"))
        }
        return count
    }

    /// Reads a GGUF string: a `UInt64` byte length followed by UTF-8 bytes.
    ///
    /// The length is checked against the remaining bytes before anything is
    /// allocated. Invalid UTF-8 is replaced by U+FFFD rather than rejected, since
    /// some converters emit raw byte tokens in vocabularies.
    public mutating func readString() throws(ModelFormatError) -> String {
        let length = try readCount(elementSize: 1, what: "a string length")
        let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + length)])
        offset += length
        return String(decoding: slice, as: UTF8.self)
    }
}
