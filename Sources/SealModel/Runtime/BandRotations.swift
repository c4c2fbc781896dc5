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
/// rotary pair and position).
final class BandRotations {
    /// The band whose rotation the cache holds.
    let storedBand: Int
    let pairs: Int
    let capacity: Int
    /// `[band][position][pair]`; the stored band's slot is unused (empty).
    private let cosines: [FloatBuffer]
    private let sines: [FloatBuffer]

    init(plan: PositionEncodingPlan, capacity: Int, pairs: Int) {
        storedBand = plan.bands.count - 1
        self.pairs = pairs
        self.capacity = capacity
        let sizes = plan.bands.indices.map { $0 == plan.bands.count - 1 ? 0 : capacity * pairs }
        cosines = sizes.map { FloatBuffer(count: $0) }
        sines = sizes.map { FloatBuffer(count: $0) }
    }

    /// Whether keys of `band` must be derived (every band but the stored one).
    @inline(__always)
    func isDerived(_ band: Int) -> Bool { band != storedBand }

    /// Records the turn from the stored band to every other band for `positions`.
    func fill(positions: Range<Int>, plan: PositionEncodingPlan, rotary: Rotary) {
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

    /// Writes the cached (stored-band) keys `first..<first + count` of one head, turned into
    /// `band`'s positions, to `target` (`[count, headDimension]`).
    @inline(__always)
    func derive(band: Int, keys: UnsafePointer<Float>, first: Int, count: Int, headDimension: Int,
                rotary: Rotary, into target: UnsafeMutablePointer<Float>) {
        target.update(from: keys + first * headDimension, count: count * headDimension)
        for r in 0..<count {
            let offset = (first + r) * pairs
            rotary.rotate(row: target + r * headDimension, heads: 1,
                          cos: cosines[band].pointer + offset, sin: sines[band].pointer + offset)
        }
    }

    var byteCount: Int { cosines.reduce(0) { $0 + $1.byteCount } + sines.reduce(0) { $0 + $1.byteCount } }
}
