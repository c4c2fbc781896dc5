import Synchronization

/// The process's metrics, rendered in the Prometheus text format for `GET /metrics`.
///
/// The HTTP server records its own request counts and latencies here; the service
/// adds its metrics (generations running, tokens per second, queue depth) through
/// the same registry. Asking twice for the same name and labels returns the same
/// instance, so call sites need not keep handles. Collectors run just before each
/// rendering to refresh gauges that are cheaper to read than to track.
public final class MetricsRegistry: Sendable {
    public enum Kind: String, Sendable {
        case counter, gauge, histogram
    }

    private enum Series {
        case counter(Counter)
        case gauge(Gauge)
        case histogram(Histogram)
    }

    private struct Family {
        var help: String
        var kind: Kind
        var series: [Labels: Series] = [:]
    }

    /// Label sets compare as sorted key/value lists.
    private struct Labels: Hashable, Comparable {
        var pairs: [LabelPair]
        init(_ labels: [String: String]) {
            pairs = labels.map { LabelPair(name: $0.key, value: $0.value) }.sorted { $0.name < $1.name }
        }
        static func < (lhs: Labels, rhs: Labels) -> Bool {
            lhs.pairs.lexicographicallyPrecedes(rhs.pairs) { ($0.name, $0.value) < ($1.name, $1.value) }
        }
    }

    private struct LabelPair: Hashable {
        var name: String
        var value: String
    }

    private let families = Mutex<[String: Family]>([:])
    private let collectors = Mutex<[@Sendable () -> Void]>([])

    public init() {}

    /// The counter `name{labels}`, created on first use.
    public func counter(_ name: String, help: String, labels: [String: String] = [:]) -> Counter {
        let series = lookup(name, help: help, kind: .counter, labels: labels) { .counter(Counter()) }
        guard case .counter(let counter) = series else { preconditionFailure("\(name) is not a counter") }
        return counter
    }

    /// The gauge `name{labels}`, created on first use.
    public func gauge(_ name: String, help: String, labels: [String: String] = [:]) -> Gauge {
        let series = lookup(name, help: help, kind: .gauge, labels: labels) { .gauge(Gauge()) }
        guard case .gauge(let gauge) = series else { preconditionFailure("\(name) is not a gauge") }
        return gauge
    }

    /// The histogram `name{labels}`, created on first use with `buckets` (ascending upper bounds).
    public func histogram(_ name: String, help: String, buckets: [Double] = Histogram.defaultLatencyBuckets,
                          labels: [String: String] = [:]) -> Histogram {
        let bounds = Array(Set(buckets.filter(\.isFinite))).sorted()
        let series = lookup(name, help: help, kind: .histogram, labels: labels) { .histogram(Histogram(upperBounds: bounds)) }
        guard case .histogram(let histogram) = series else { preconditionFailure("\(name) is not a histogram") }
        return histogram
    }

    /// Adds a closure run before every rendering, e.g. to set a gauge from the scheduler's state.
    public func addCollector(_ collect: @escaping @Sendable () -> Void) {
        collectors.withLock { $0.append(collect) }
    }

    /// Registering one name as two kinds is a programming error, caught at the first call.
    private func lookup(_ name: String, help: String, kind: Kind, labels: [String: String],
                        make: () -> Series) -> Series {
        precondition(Self.isValidName(name), "invalid metric name '\(name)'")
        precondition(labels.keys.allSatisfy { Self.isValidName($0) && !$0.contains(":") }, "invalid label name in \(labels)")
        return families.withLock { families in
            var family = families[name] ?? Family(help: help, kind: kind)
            precondition(family.kind == kind, "metric \(name) is a \(family.kind.rawValue), not a \(kind.rawValue)")
            let key = Labels(labels)
            if let existing = family.series[key] { return existing }
            let created = make()
            family.series[key] = created
            families[name] = family
            return created
        }
    }

    /// The Prometheus text exposition format (version 0.0.4), families sorted by name.
    public func renderPrometheus() -> String {
        for collect in collectors.withLock({ $0 }) { collect() }
        let snapshot = families.withLock { $0 }
        var out = ""
        for name in snapshot.keys.sorted() {
            guard let family = snapshot[name] else { continue }
            out += "# HELP \(name) \(Self.escapeHelp(family.help))\n"
            out += "# TYPE \(name) \(family.kind.rawValue)\n"
            for labels in family.series.keys.sorted() {
                guard let series = family.series[labels] else { continue }
                switch series {
                case .counter(let counter):
                    out += "\(name)\(Self.render(labels.pairs)) \(Self.format(counter.current))\n"
                case .gauge(let gauge):
                    out += "\(name)\(Self.render(labels.pairs)) \(Self.format(gauge.current))\n"
                case .histogram(let histogram):
                    out += Self.render(histogram, name: name, labels: labels.pairs)
                }
            }
        }
        return out
    }

    /// The `Content-Type` of ``renderPrometheus()``.
    public static let prometheusContentType = "text/plain; version=0.0.4; charset=utf-8"

    private static func render(_ histogram: Histogram, name: String, labels: [LabelPair]) -> String {
        let snapshot = histogram.snapshot
        var out = ""
        var cumulative: UInt64 = 0
        for (index, bound) in (histogram.upperBounds + [.infinity]).enumerated() {
            cumulative += snapshot.counts[index]
            let le = LabelPair(name: "le", value: bound.isInfinite ? "+Inf" : format(bound))
            out += "\(name)_bucket\(render(labels + [le])) \(cumulative)\n"
        }
        out += "\(name)_sum\(render(labels)) \(format(snapshot.sum))\n"
        out += "\(name)_count\(render(labels)) \(snapshot.count)\n"
        return out
    }

    private static func render(_ labels: [LabelPair]) -> String {
        guard !labels.isEmpty else { return "" }
        return "{" + labels.map { "\($0.name)=\"\(escapeLabel($0.value))\"" }.joined(separator: ",") + "}"
    }

    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    private static func escapeHelp(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }

    private static func escapeLabel(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\"": out += "\\\""
            default: out.append(character)
            }
        }
        return out
    }

    static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCII,
              first.properties.isAlphabetic || first == "_" || first == ":" else { return false }
        return name.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == ":")
        }
    }
}
