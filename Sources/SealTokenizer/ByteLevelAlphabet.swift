/// GPT-2's reversible mapping between bytes and printable Unicode scalars.
///
/// Byte-level BPE vocabularies (GPT-2, Llama-3, Qwen2, SmolLM) store tokens as
/// strings of these scalars, so that every byte sequence is representable without
/// control characters or spaces in the vocabulary file. Printable Latin-1 bytes
/// (`!`...`~`, `¡`...`¬`, `®`...`ÿ`) stand for themselves; the remaining 68
/// bytes are assigned U+0100, U+0101, ... in increasing byte order.
enum ByteLevelAlphabet {
    /// `scalarForByte[b]` is the scalar that stands for byte `b`.
    static let scalarForByte: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            if isSelfMapped(byte) {
                table[byte] = UInt32(byte)
            } else {
                table[byte] = next
                next += 1
            }
        }
        return table
    }()

    /// The byte a scalar stands for, or `nil` if it is not in the alphabet.
    static func byte(for scalar: UInt32) -> UInt8? {
        if scalar < 256 {
            return isSelfMapped(Int(scalar)) ? UInt8(scalar) : nil
        }
        guard scalar < 256 + 68 else { return nil }
        return byteForShiftedScalar[Int(scalar - 256)]
    }

    /// Decodes a vocabulary token written in the alphabet back to its bytes;
    /// `nil` if any scalar is outside the alphabet (e.g. an added special token).
    static func bytes(ofToken token: String) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(token.unicodeScalars.count)
        for scalar in token.unicodeScalars {
            guard let byte = byte(for: scalar.value) else { return nil }
            out.append(byte)
        }
        return out
    }

    /// The alphabet spelling of a byte string (used to key vocabulary lookups).
    static func spelling(of bytes: some Sequence<UInt8>) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            if let scalar = Unicode.Scalar(scalarForByte[Int(byte)]) {
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    private static func isSelfMapped(_ byte: Int) -> Bool {
        (33...126).contains(byte) || (161...172).contains(byte) || (174...255).contains(byte)
    }

    private static let byteForShiftedScalar: [UInt8] = {
        var table: [UInt8] = []
        for byte in 0..<256 where !isSelfMapped(byte) {
            table.append(UInt8(byte))
        }
        return table
    }()
}
