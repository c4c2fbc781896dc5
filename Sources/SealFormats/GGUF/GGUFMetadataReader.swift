/// Reading GGUF metadata values of every type, arrays (also nested) included.
///
/// Array counts come from the file, so before reserving memory each count is
/// checked against what the remaining bytes could possibly hold given the
/// element type's minimum encoded size; nesting is capped so a malicious file
/// cannot exhaust the stack.
extension ByteReader {
    /// Deepest array nesting accepted; real files use at most one level.
    static let maximumArrayNesting = 8
    /// Longest array accepted. The largest real arrays are vocabularies and merge
    /// lists of a few hundred thousand entries; each element costs far more memory
    /// decoded than on disk, so a corrupt count must not be trusted just because
    /// the file is large.
    static let maximumArrayLength = 1 << 26

    /// Reads a type tag and checks it is one GGUF defines.
    mutating func readValueType(key: String) throws(ModelFormatError) -> GGUFValueType {
        let at = offset
        let raw = try readUInt32()
        guard let type = GGUFValueType(rawValue: raw) else {
            throw ModelFormatError(
                file: file,
                kind: .invalidMetadata(
                    key: key, reason: "unknown value type \(raw) at offset \(at); the file is corrupt"))
        }
        return type
    }

    /// Reads one value of the given type; `key` names it in errors.
    mutating func readValue(
        of type: GGUFValueType, key: String, depth: Int = 0
    ) throws(ModelFormatError) -> GGUFValue {
        switch type {
        case .uint8: return .uint8(try readUInt8())
        case .int8: return .int8(try readInt8())
        case .uint16: return .uint16(try readUInt16())
        case .int16: return .int16(try readInt16())
        case .uint32: return .uint32(try readUInt32())
        case .int32: return .int32(try readInt32())
        case .uint64: return .uint64(try readUInt64())
        case .int64: return .int64(try readInt64())
        case .float32: return .float32(try readFloat32())
        case .float64: return .float64(try readFloat64())
        case .bool: return .bool(try readBool())
        case .string: return .string(try readString())
        case .array: return try readArray(key: key, depth: depth)
        }
    }

    private mutating func readArray(key: String, depth: Int) throws(ModelFormatError) -> GGUFValue {
        guard depth < Self.maximumArrayNesting else {
            throw ModelFormatError(
                file: file,
                kind: .invalidMetadata(
                    key: key,
                    reason: "arrays are nested more than \(Self.maximumArrayNesting) deep; the file is corrupt"))
        }
        let elementType = try readValueType(key: key)
        let count = try readCount(elementSize: elementType.minimumEncodedSize, what: "the array length of '\(key.boundedForMessage())'")
        guard count <= Self.maximumArrayLength else {
            throw ModelFormatError(
                file: file,
                kind: .invalidMetadata(
                    key: key,
                    reason: "the array has \(count) elements, more than any real model needs "
                        + "(at most \(Self.maximumArrayLength)); the file is corrupt"))
        }
        var elements: [GGUFValue] = []
        elements.reserveCapacity(count)
        for _ in 0..<count {
            elements.append(try readValue(of: elementType, key: key, depth: depth + 1))
        }
        return .array(elements)
    }
}
