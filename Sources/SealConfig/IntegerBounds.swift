/// The accepted range of every integer key.
///
/// Every number in the configuration later sizes a buffer, a queue or a timer, so each
/// has an upper bound as well as a lower one: `request_timeout_seconds:
/// 9223372036854775807` is refused here, naming the key, the line and the range, rather
/// than overflowing the first deadline computed from it. The same parser runs for
/// `seald --check-config`, at start and on reload, so all three refuse the same values.
/// `etc/seald.yaml` states each range in the comment above its key; a test holds the
/// two equal.
extension SealdConfiguration {
    /// The range and unit of one integer key.
    public struct IntegerBound: Sendable, Equatable {
        /// The values accepted, inclusive at both ends.
        public var range: ClosedRange<Int>
        /// What the number counts, for error messages ("seconds", "bytes").
        public var unit: String

        public init(_ range: ClosedRange<Int>, _ unit: String) {
            self.range = range
            self.unit = unit
        }

        /// `1...86400 seconds`, as written in errors and in `etc/seald.yaml`.
        public var text: String { "\(range.lowerBound)...\(range.upperBound) \(unit)" }
    }

    /// The bounds of every integer key, by dotted key path.
    ///
    /// A key read as an integer but missing here is refused as a bug at parse time, so a
    /// new key cannot ship without bounds (the test that parses `etc/seald.yaml` fails).
    public static let integerBounds: [String: IntegerBound] = [
        // The decode pool's ceiling (SEAL_POOL_MAX_THREADS), which the runtime would clamp
        // to anyway: refused here instead of silently lowered. A test holds the two equal.
        "model.threads": IntegerBound(0...64, "threads"),
        // 2^20 tokens: far beyond the models served, small enough that sizes derived from it stay in range.
        "model.context_length": IntegerBound(1...1_048_576, "tokens"),
        "limits.max_concurrent_generations": IntegerBound(1...256, "generations"),
        "limits.max_queued_generations": IntegerBound(0...10_000, "generations"),
        "limits.max_concurrent_jobs": IntegerBound(1...64, "jobs"),
        // 1 GiB: a request body is held in memory whole.
        "limits.max_request_bytes": IntegerBound(1...1_073_741_824, "bytes"),
        "limits.max_prompt_tokens": IntegerBound(1...1_048_576, "tokens"),
        // One day.
        "limits.request_timeout_seconds": IntegerBound(1...86_400, "seconds"),
        // 1 TiB; the figure is shifted to bytes, far from overflow.
        "limits.memory_budget_mb": IntegerBound(16...1_048_576, "MiB"),
        // One hour: a client on the same machine sends a request in milliseconds.
        "server.head_timeout_seconds": IntegerBound(1...3600, "seconds"),
        "server.body_timeout_seconds": IntegerBound(1...3600, "seconds"),
        "server.idle_timeout_seconds": IntegerBound(1...86_400, "seconds"),
        // Each connection holds a file descriptor (see LimitNOFILE= in seald.service).
        "server.max_connections": IntegerBound(1...65_536, "connections"),
    ]
}
