import Synchronization

/// A monotonically increasing count (requests served, tokens generated).
public final class Counter: Sendable {
    private let value = Mutex<Double>(0)

    init() {}

    /// Adds `amount`, which must not be negative (a counter never goes down).
    public func increment(by amount: Double = 1) {
        guard amount >= 0 else { return }
        value.withLock { $0 += amount }
    }

    public var current: Double { value.withLock { $0 } }
}

/// A value that goes up and down (requests in flight, queue length, model memory).
public final class Gauge: Sendable {
    private let value = Mutex<Double>(0)

    init() {}

    public func set(_ newValue: Double) { value.withLock { $0 = newValue } }
    public func increment(by amount: Double = 1) { value.withLock { $0 += amount } }
    public func decrement(by amount: Double = 1) { value.withLock { $0 -= amount } }
    public var current: Double { value.withLock { $0 } }
}

/// Counts observations into cumulative buckets (latencies, prompt lengths).
public final class Histogram: Sendable {
    struct Snapshot {
        /// Per-bucket counts, not cumulative; the last entry is `+Inf`.
        var counts: [UInt64]
        var sum: Double = 0
        var count: UInt64 = 0
    }

    /// Upper bounds, ascending, without `+Inf`.
    public let upperBounds: [Double]
    private let state: Mutex<Snapshot>

    init(upperBounds: [Double]) {
        self.upperBounds = upperBounds
        self.state = Mutex(Snapshot(counts: Array(repeating: 0, count: upperBounds.count + 1)))
    }

    public func observe(_ value: Double) {
        let index = upperBounds.firstIndex { value <= $0 } ?? upperBounds.count
        state.withLock { state in
            state.counts[index] += 1
            state.sum += value
            state.count += 1
        }
    }

    /// Observes a duration in seconds.
    public func observe(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        observe(Double(seconds) + Double(attoseconds) / 1e18)
    }

    var snapshot: Snapshot { state.withLock { $0 } }

    /// Prometheus' client default buckets, suited to request latencies in seconds.
    public static let defaultLatencyBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300]
}
