import Foundation

/// Text and numbers as they go into the SVG documents sealctl writes, shared by the heatmap and
/// the scatter plot so both escape alike.
enum SVGText {
    /// Coordinates with at most two decimals, no trailing zeros.
    static func number(_ x: Double) -> String {
        let rounded = (x * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    /// Text safe inside an element or attribute; control characters XML forbids become U+FFFD.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case _ where character.value < 0x20 && character != "\t" && character != "\n": out += "\u{FFFD}"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    /// The XML declaration and the opening `svg` element of a `width` × `height` document.
    static func header(width: Double, height: Double) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(number(width))" height="\(number(height))" \
        viewBox="0 0 \(number(width)) \(number(height))" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="11">

        """
    }

    /// Writes a rendered document to `path` (atomically).
    static func write(_ document: String, to path: String) throws(SealctlError) {
        do {
            try Data(document.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw SealctlError.file("cannot write \(path): \(error.localizedDescription)")
        }
    }
}
