import Foundation
import SealAPI

/// Numbers and dates as people read them in tables.
enum Format {
    /// `512 B`, `1.5 KiB`, `340 MiB`, `1.2 GiB`.
    static func bytes(_ count: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(count)
        var unit = 0
        while abs(value) >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        if unit == 0 { return "\(count) B" }
        return value < 10 ? String(format: "%.1f %@", value, units[unit]) : String(format: "%.0f %@", value, units[unit])
    }

    /// `135M`, `1.7B`, `7B`: model parameter counts.
    static func count(_ value: Int) -> String {
        let steps: [(Double, String)] = [(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")]
        for (scale, suffix) in steps where Double(value) >= scale {
            let scaled = Double(value) / scale
            return scaled < 10 ? String(format: "%.1f%@", scaled, suffix) : String(format: "%.0f%@", scaled, suffix)
        }
        return "\(value)"
    }

    /// `45s`, `1m12s`, `2h03m`, `3d4h`: durations and ETAs.
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let total = max(0, Int(seconds.rounded()))
        let (days, hours, minutes, secs) = (total / 86_400, total / 3600 % 24, total / 60 % 60, total % 60)
        if days > 0 { return "\(days)d\(hours)h" }
        if hours > 0 { return String(format: "%dh%02dm", hours, minutes) }
        if minutes > 0 { return String(format: "%dm%02ds", minutes, secs) }
        return "\(secs)s"
    }

    /// `just now`, `3 min ago`, `2 h ago`, `5 days ago`; future dates read `in 3 min`.
    static func relative(_ date: Date, now: Date = Date()) -> String {
        let delta = now.timeIntervalSince(date)
        let seconds = abs(delta)
        let amount: String
        switch seconds {
        case ..<10: return "just now"
        case ..<60: amount = "\(Int(seconds)) s"
        case ..<3600: amount = "\(Int(seconds / 60)) min"
        case ..<86_400: amount = "\(Int(seconds / 3600)) h"
        case ..<(86_400 * 60):
            let days = Int(seconds / 86_400)
            amount = days == 1 ? "1 day" : "\(days) days"
        default:
            return date.formatted(.iso8601.year().month().day())
        }
        return delta >= 0 ? "\(amount) ago" : "in \(amount)"
    }

    /// `84.0%`.
    static func percent(_ fraction: Double) -> String { String(format: "%.1f%%", fraction * 100) }

    /// A JSON value for a table cell: strings bare, whole numbers without `.0`.
    static func value(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .string(let text): return text
        case .number(let number): return number == number.rounded() && abs(number) < 1e15 ? "\(Int(number))" : "\(number)"
        case .array, .object:
            guard let data = try? APIJSON.encode(value) else { return "?" }
            return String(decoding: data, as: UTF8.self)
        }
    }

    /// `key=value key=value`, sorted by key: a free-form summary in one cell.
    static func summary(_ values: [String: JSONValue]) -> String {
        values.keys.sorted().compactMap { key in values[key].map { "\(key)=\(value($0))" } }.joined(separator: " ")
    }

    /// `text` cut to `width` characters with an ellipsis, newlines shown as spaces.
    static func truncated(_ text: String, to width: Int) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        guard flat.count > width, width > 1 else { return flat }
        return flat.prefix(width - 1) + "…"
    }
}
