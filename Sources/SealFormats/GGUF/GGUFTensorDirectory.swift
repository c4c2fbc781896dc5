/// Reading and validating the tensor directory that follows GGUF metadata.
extension GGUFHeaderParser {
    /// One tensor entry as read, before its data offset is resolved.
    struct TensorEntry {
        var name: String
        var dimensions: [Int]
        var elementCount: Int
        var type: GGMLType
        var byteCount: Int
        var relativeOffset: UInt64
    }

    static func readTensorEntries(
        count: Int, reader: inout ByteReader
    ) throws(ModelFormatError) -> [TensorEntry] {
        let file = reader.file
        var entries: [TensorEntry] = []
        entries.reserveCapacity(count)
        var seen = Set<String>()
        for index in 0..<count {
            reader.activity = "reading the name of tensor #\(index)"
            let name = try reader.readString()
            guard seen.insert(name).inserted else {
                throw ModelFormatError(file: file, kind: .duplicateTensor(name))
            }
            reader.activity = "reading the description of tensor '\(name.boundedForMessage())'"
            let dimensionCount = try reader.readUInt32()
            guard dimensionCount <= maximumDimensions else {
                throw ModelFormatError(
                    file: file,
                    kind: .absurdDimensions(
                        name: name, dimensions: [],
                        reason: "it claims \(dimensionCount) dimensions but GGUF allows at most \(maximumDimensions)"))
            }
            var raw: [UInt64] = []
            for _ in 0..<dimensionCount {
                raw.append(try reader.readUInt64())
            }
            let (dimensions, elementCount) = try validate(dimensions: raw, name: name, file: file)

            let rawType = try reader.readUInt32()
            guard let type = GGMLType(rawValue: rawType) else {
                throw ModelFormatError(file: file, kind: .unknownTensorType(name: name, rawType: rawType))
            }
            let rowLength = dimensions.first ?? 1
            guard rowLength % type.blockElements == 0,
                  let byteCount = type.byteCount(forElements: elementCount)
            else {
                throw ModelFormatError(
                    file: file,
                    kind: .rowNotBlockAligned(
                        name: name, rowLength: rowLength, typeName: type.name, blockElements: type.blockElements))
            }
            let relativeOffset = try reader.readUInt64()
            entries.append(
                TensorEntry(
                    name: name, dimensions: dimensions, elementCount: elementCount, type: type,
                    byteCount: byteCount, relativeOffset: relativeOffset))
        }
        return entries
    }

    /// Checks every dimension is positive and the product stays below ``maximumElements``.
    static func validate(
        dimensions raw: [UInt64], name: String, file: String
    ) throws(ModelFormatError) -> (dimensions: [Int], elementCount: Int) {
        var dimensions: [Int] = []
        dimensions.reserveCapacity(raw.count)
        var elementCount = 1
        for (axis, value) in raw.enumerated() {
            func fail(_ reason: String) -> ModelFormatError {
                ModelFormatError(file: file, kind: .absurdDimensions(name: name, dimensions: raw, reason: reason))
            }
            guard value > 0 else { throw fail("dimension \(axis) is zero") }
            guard value <= UInt64(maximumElements) else {
                let hint = value > UInt64(Int64.max) ? " (a negative number stored as unsigned)" : ""
                throw fail("dimension \(axis) is \(value)\(hint), more than 2^40")
            }
            let dimension = Int(value)
            let (product, overflow) = elementCount.multipliedReportingOverflow(by: dimension)
            guard !overflow, product <= maximumElements else {
                throw fail("the element count exceeds 2^40")
            }
            elementCount = product
            dimensions.append(dimension)
        }
        return (dimensions, elementCount)
    }

    /// Resolves an entry's offset against the data section and checks it is aligned and inside the file.
    static func locate(
        _ entry: TensorEntry, dataOffset: Int, alignment: Int, file: String, fileSize: Int
    ) throws(ModelFormatError) -> GGUFTensorInfo {
        guard let relative = Int(exactly: entry.relativeOffset) else {
            throw ModelFormatError(
                file: file,
                kind: .tensorOutOfBounds(name: entry.name, start: Int.max, end: Int.max, fileSize: fileSize))
        }
        guard relative % alignment == 0 else {
            throw ModelFormatError(
                file: file, kind: .misalignedTensor(name: entry.name, offset: relative, alignment: alignment))
        }
        let (start, startOverflow) = dataOffset.addingReportingOverflow(relative)
        let (end, endOverflow) = start.addingReportingOverflow(entry.byteCount)
        guard !startOverflow, !endOverflow, end <= fileSize else {
            throw ModelFormatError(
                file: file,
                kind: .tensorOutOfBounds(
                    name: entry.name,
                    start: startOverflow ? Int.max : start,
                    end: startOverflow || endOverflow ? Int.max : end,
                    fileSize: fileSize))
        }
        return GGUFTensorInfo(
            name: entry.name, dimensions: entry.dimensions, type: entry.type,
            relativeOffset: relative, absoluteOffset: start, byteCount: entry.byteCount,
            elementCount: entry.elementCount)
    }
}
