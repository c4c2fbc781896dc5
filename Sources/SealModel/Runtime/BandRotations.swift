import SealTensor

/// Keys are cached rotated for ONE band (the last, which covers every distance from its
/// minimum up: Self-Extend's grouped band); other bands get their keys by turning those
/// cached keys further, only for the keys a tile actually needs in that band.
///
/// Rotations compose: a key rotated to position `p` and then by `q - p` is the key rotated to
/// `q`. This holds, per band `b` other than the stored one, the cos/sin of
/// `(keyPosition_b(j) - keyPosition_stored(j)) * frequency` for every position `j`, filled as
/// tokens arrive. For Self-Extend that is `j - j / G`, so the neighbour band costs one extra
/// rotation of at most W + block keys per tile instead of a second copy of the whole key
/// cache (the memory a 16K context needs stays that of plain attention, plus 2 floats per
/// rotary pair and position). The tables grow with the positions filled, as the KV cache
/// does, so a large window costs nothing until it is used.
final class BandRotations {
    /// The band whose rotation the cache holds.
    let storedBand: Int
    let pairs: Int
    let capacity: Int
    /// Positions the tables hold now (`reserved <= capacity`).
    private(set) var reserved = 0
    /// `[band][position][pair]`; the stored band's slot is unused (empty).
    private var cosines: [FloatBuffer]
    private var sines: [FloatBuffer]

    init(plan: PositionEncodingPlan, capacity: Int, pairs: Int) {
        storedBand = plan.bands.count - 1
        self.pairs = pairs
        self.capacity = capacity
        cosines = plan.bands.indices.map { _ in FloatBuffer(count: 0) }
        sines = plan.bands.indices.map { _ in FloatBuffer(count: 0) }
    }

    /// Whether keys of `band` must be derived (every band but the stored one).
    @inline(__always)
    func isDerived(_ band: Int) -> Bool { band != storedBand }

    /// Records the turn from the stored band to every other band for `positions`.
    func fill(positions: Range<Int>, plan: PositionEncodingPlan, rotary: Rotary) {
        reserve(positions.upperBound, keeping: positions.lowerBound)
        let stored = plan.bands[storedBand].key
        for band in plan.bands.indices where isDerived(band) {
            let key = plan.bands[band].key
            for j in positions {
                let offset = j * pairs
                rotary.angles(position: key.apply(j) - stored.apply(j),
                              cos: cosines[band].pointer + offset, sin: sines[band].pointer + offset)
            }
        }
    }

    /// Grows the tables of derived bands to hold `positions`, keeping the first `count` filled.
    private func reserve(_ positions: Int, keeping count: Int) {
        guard positions > reserved, cosines.count > 1 else { return }
        let target = KVCache.grownReservation(for: positions, reserved: reserved, capacity: capacity)
        for band in cosines.indices where isDerived(band) {
            cosines[band] = Self.regrow(cosines[band], to: target * pairs, keeping: count * pairs)
            sines[band] = Self.regrow(sines[band], to: target * pairs, keeping: count * pairs)
        }
        reserved = target
    }

    private static func regrow(_ old: FloatBuffer, to size: Int, keeping used: Int) -> FloatBuffer {
        let fresh = FloatBuffer(count: size)
        fresh.pointer.update(from: old.pointer, count: used)
        return fresh
    }

    /// Writes the cached (stored-band) keys of positions `first..<first + count` of one head
    /// (`keys` points at position `first`'s row), turned into `band`'s positions, to `target`
    /// (`[count, headDimension]`).
    @inline(__always)
    func derive(band: Int, keys: UnsafePointer<Float>, first: Int, count: Int, headDimension: Int,
                rotary: Rotary, into target: UnsafeMutablePointer<Float>) {
        target.update(from: keys, count: count * headDimension)
        for r in 0..<count {
            let offset = (first + r) * pairs
            rotary.rotate(row: target + r * headDimension, heads: 1,
                          cos: cosines[band].pointer + offset, sin: sines[band].pointer + offset)
        }
    }

    var byteCount: Int { cosines.reduce(0) { $0 + $1.byteCount } + sines.reduce(0) { $0 + $1.byteCount } }
}
