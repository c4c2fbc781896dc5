/// Finds stop strings in streamed text without ever emitting part of one.
///
/// Text that could still become a stop string is held back until the next
/// piece decides it; text before a match is released and the match ends the
/// generation.
public struct StopMatcher: Sendable {
    public let stops: [String]
    private var pending = ""

    public init(stops: [String]) {
        self.stops = stops.filter { !$0.isEmpty }
    }

    public enum Outcome: Equatable, Sendable {
        /// Safe to emit; generation goes on.
        case emit(String)
        /// A stop string was found: emit this text, then stop.
        case stop(String)
    }

    /// Feeds the next decoded piece.
    public mutating func feed(_ piece: String) -> Outcome {
        pending += piece
        guard !stops.isEmpty else {
            defer { pending = "" }
            return .emit(pending)
        }
        var earliest: String.Index?
        for stop in stops {
            if let range = pending.range(of: stop), earliest.map({ range.lowerBound < $0 }) ?? true {
                earliest = range.lowerBound
            }
        }
        if let cut = earliest {
            let text = String(pending[..<cut])
            pending = ""
            return .stop(text)
        }
        let held = heldBackLength()
        let releaseEnd = pending.index(pending.endIndex, offsetBy: -held)
        let text = String(pending[..<releaseEnd])
        pending = String(pending[releaseEnd...])
        return .emit(text)
    }

    /// Whatever is held back, at the end of generation.
    public mutating func finish() -> String {
        defer { pending = "" }
        return pending
    }

    /// Length (in characters) of the longest suffix of `pending` that starts some stop string.
    private func heldBackLength() -> Int {
        var longest = 0
        for stop in stops {
            var length = min(stop.count - 1, pending.count)
            while length > longest {
                if stop.hasPrefix(pending.suffix(length)) {
                    longest = length
                    break
                }
                length -= 1
            }
        }
        return longest
    }
}
