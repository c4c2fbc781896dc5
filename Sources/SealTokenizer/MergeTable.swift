/// BPE merge rules keyed by the pair of token ids they join.
///
/// Keying by ids (packed into one `UInt64`) rather than by strings keeps the inner
/// merge loop free of string hashing. The value packs the rule's rank (lower
/// merges first) and the id of the merged token.
struct MergeTable: Sendable {
    private var rules: [UInt64: UInt64] = [:]

    init() {}

    var count: Int { rules.count }

    /// Adds or replaces the rule for `(left, right)`. Later rules for the same pair
    /// replace earlier ones, as in Hugging Face `tokenizers`.
    mutating func insert(left: TokenID, right: TokenID, rank: UInt32, result: TokenID) {
        rules[Self.key(left, right)] = UInt64(rank) << 32 | UInt64(UInt32(bitPattern: result))
    }

    /// The rank and merged token of the rule for `(left, right)`, if any.
    @inline(__always)
    func lookup(_ left: TokenID, _ right: TokenID) -> (rank: UInt32, result: TokenID)? {
        guard let packed = rules[Self.key(left, right)] else { return nil }
        return (UInt32(truncatingIfNeeded: packed >> 32), TokenID(bitPattern: UInt32(truncatingIfNeeded: packed)))
    }

    @inline(__always)
    private static func key(_ left: TokenID, _ right: TokenID) -> UInt64 {
        UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
    }
}

/// Applies merge rules to one pre-tokenized word.
///
/// The result is the one Hugging Face's BPE produces: repeatedly merge the
/// adjacent pair with the lowest rank, the leftmost one on ties. Short words (the
/// common case) use a direct scan; long ones (a SentencePiece model sees a whole
/// prompt as one word) use a linked list and a binary heap, O(n log n).
enum BPEMerger {
    static let directScanLimit = 48

    static func merge(_ symbols: inout [TokenID], _ table: MergeTable) {
        if symbols.count < 2 { return }
        if symbols.count <= directScanLimit {
            mergeByScanning(&symbols, table)
        } else {
            mergeWithHeap(&symbols, table)
        }
    }

    static func mergeByScanning(_ symbols: inout [TokenID], _ table: MergeTable) {
        let none = UInt32.max
        var ranks = [UInt32](repeating: none, count: symbols.count - 1)
        var results = [TokenID](repeating: 0, count: symbols.count - 1)
        for i in 0..<ranks.count {
            if let rule = table.lookup(symbols[i], symbols[i + 1]) {
                ranks[i] = rule.rank
                results[i] = rule.result
            }
        }
        while !ranks.isEmpty {
            var best = 0
            var bestRank = ranks[0]
            var i = 1
            while i < ranks.count {
                if ranks[i] < bestRank {
                    bestRank = ranks[i]
                    best = i
                }
                i += 1
            }
            if bestRank == none { break }
            symbols[best] = results[best]
            symbols.remove(at: best + 1)
            ranks.remove(at: best)
            results.remove(at: best)
            if best > 0 {
                update(&ranks, &results, best - 1, symbols, table)
            }
            if best < ranks.count {
                update(&ranks, &results, best, symbols, table)
            }
        }
    }

    @inline(__always)
    private static func update(
        _ ranks: inout [UInt32], _ results: inout [TokenID], _ i: Int, _ symbols: [TokenID], _ table: MergeTable
    ) {
        if let rule = table.lookup(symbols[i], symbols[i + 1]) {
            ranks[i] = rule.rank
            results[i] = rule.result
        } else {
            ranks[i] = UInt32.max
        }
    }

    static func mergeWithHeap(_ symbols: inout [TokenID], _ table: MergeTable) {
        let n = symbols.count
        var next = [Int32](unsafeUninitializedCapacity: n) { buffer, count in
            for i in 0..<n { buffer[i] = i + 1 < n ? Int32(i + 1) : -1 }
            count = n
        }
        var prev = [Int32](unsafeUninitializedCapacity: n) { buffer, count in
            for i in 0..<n { buffer[i] = Int32(i - 1) }
            count = n
        }
        var alive = [Bool](repeating: true, count: n)
        var heap = MergeHeap()
        heap.reserve(n)
        for i in 0..<(n - 1) {
            if let rule = table.lookup(symbols[i], symbols[i + 1]) {
                heap.push(MergeCandidate(rank: rule.rank, position: Int32(i), result: rule.result))
            }
        }
        while let top = heap.pop() {
            let pos = Int(top.position)
            guard alive[pos], next[pos] >= 0 else { continue }
            let right = Int(next[pos])
            // A stale entry: the pair at `pos` changed since it was queued.
            guard let rule = table.lookup(symbols[pos], symbols[right]), rule.result == top.result else { continue }
            symbols[pos] = top.result
            alive[right] = false
            let after = next[right]
            next[pos] = after
            if after >= 0 { prev[Int(after)] = Int32(pos) }
            let before = prev[pos]
            if before >= 0, let rule = table.lookup(symbols[Int(before)], symbols[pos]) {
                heap.push(MergeCandidate(rank: rule.rank, position: before, result: rule.result))
            }
            if after >= 0, let rule = table.lookup(symbols[pos], symbols[Int(after)]) {
                heap.push(MergeCandidate(rank: rule.rank, position: Int32(pos), result: rule.result))
            }
        }
        var out: [TokenID] = []
        out.reserveCapacity(n)
        var i: Int32 = 0
        while i >= 0 {
            out.append(symbols[Int(i)])
            i = next[Int(i)]
        }
        symbols = out
    }
}

struct MergeCandidate {
    var rank: UInt32
    var position: Int32
    var result: TokenID

    @inline(__always)
    func precedes(_ other: MergeCandidate) -> Bool {
        rank != other.rank ? rank < other.rank : position < other.position
    }
}

/// A binary min-heap of merge candidates ordered by (rank, position).
struct MergeHeap {
    private var items: [MergeCandidate] = []

    mutating func reserve(_ n: Int) { items.reserveCapacity(n) }

    mutating func push(_ item: MergeCandidate) {
        items.append(item)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child].precedes(items[parent]) else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> MergeCandidate? {
        guard let last = items.popLast() else { return nil }
        guard !items.isEmpty else { return last }
        let top = items[0]
        items[0] = last
        var parent = 0
        let count = items.count
        while true {
            let left = 2 * parent + 1
            if left >= count { break }
            var best = left
            let right = left + 1
            if right < count, items[right].precedes(items[left]) { best = right }
            guard items[best].precedes(items[parent]) else { break }
            items.swapAt(best, parent)
            parent = best
        }
        return top
    }
}
