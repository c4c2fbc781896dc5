import Foundation

/// The RoPE facts a context-extension method starts from.
public struct RoPEParameters: Sendable, Equatable {
    /// The model's base θ (`rope_theta`, `rope.freq_base`).
    public var theta: Double
    /// Channels of each head that are rotated.
    public var rotaryDimensions: Int
    public var headDimension: Int
    /// The context length the model was trained with.
    public var trainedContextLength: Int

    public init(theta: Double, rotaryDimensions: Int, headDimension: Int, trainedContextLength: Int) {
        self.theta = theta
        self.rotaryDimensions = rotaryDimensions
        self.headDimension = headDimension
        self.trainedContextLength = trainedContextLength
    }

    /// The unmodified inverse frequencies `θ^(-2i/d)`.
    public var baseInverseFrequencies: [Double] {
        let dimensions = Double(rotaryDimensions)
        return (0..<rotaryDimensions / 2).map { (i: Int) -> Double in
            let exponent = Double(2 * i) / dimensions
            return 1 / Foundation.pow(theta, exponent)
        }
    }
}

/// An affine map of positions with floor division: `p ↦ p / divisor + offset`.
///
/// Self-Extend maps far-away keys to `j / G` and their queries to
/// `i / G + W - W / G`; the identity is `divisor 1, offset 0`.
public struct PositionTransform: Sendable, Equatable, Codable {
    public var divisor: Int
    public var offset: Int

    public init(divisor: Int = 1, offset: Int = 0) {
        self.divisor = divisor
        self.offset = offset
    }

    public static let identity = PositionTransform()

    @inline(__always)
    public func apply(_ position: Int) -> Int { position / divisor + offset }
}

/// A range of query-key distances and the positions used for RoPE within it.
///
/// The logits of one query are computed band by band and merged before a
/// single softmax, which is how Self-Extend is defined exactly (not the
/// approximation that edits cached positions).
public struct PositionBand: Sendable, Equatable, Codable {
    /// Smallest distance `i - j` (inclusive) this band covers.
    public var minimumDistance: Int
    /// Largest distance (inclusive), or `nil` for unbounded.
    public var maximumDistance: Int?
    public var query: PositionTransform
    public var key: PositionTransform

    public init(minimumDistance: Int, maximumDistance: Int?, query: PositionTransform, key: PositionTransform) {
        self.minimumDistance = minimumDistance
        self.maximumDistance = maximumDistance
        self.query = query
        self.key = key
    }

    @inline(__always)
    public func contains(distance: Int) -> Bool {
        distance >= minimumDistance && (maximumDistance.map { distance <= $0 } ?? true)
    }
}

/// What the transformer needs to place tokens: per-frequency rotation speeds,
/// a logit temperature, and the bands of distances with their position maps.
public struct PositionEncodingPlan: Sendable, Equatable {
    /// One per rotated pair, length `rotaryDimensions / 2`.
    public var inverseFrequencies: [Double]
    /// Multiplies cos and sin (so logits by its square), as YaRN specifies.
    public var attentionFactor: Double
    /// Bands covering every distance from 0 upwards exactly once.
    public var bands: [PositionBand]

    public init(inverseFrequencies: [Double], attentionFactor: Double = 1, bands: [PositionBand] = [.all]) {
        self.inverseFrequencies = inverseFrequencies
        self.attentionFactor = attentionFactor
        self.bands = bands
    }

    /// Checks the plan against the model before it is used.
    public func validate(for rope: RoPEParameters) throws(SealModelError) {
        func fail(_ reason: String) -> SealModelError { SealModelError(.invalidPositionEncoding(reason: reason)) }
        guard inverseFrequencies.count == rope.rotaryDimensions / 2 else {
            throw fail("\(inverseFrequencies.count) inverse frequencies for \(rope.rotaryDimensions) rotary dimensions (expected \(rope.rotaryDimensions / 2))")
        }
        guard inverseFrequencies.allSatisfy({ $0.isFinite && $0 > 0 }) else { throw fail("inverse frequencies must be finite and positive") }
        guard attentionFactor.isFinite && attentionFactor > 0 else { throw fail("attention factor \(attentionFactor) must be positive") }
        guard !bands.isEmpty, bands.count <= 8 else { throw fail("between 1 and 8 position bands are supported, got \(bands.count)") }
        var next = 0
        for (index, band) in bands.enumerated() {
            guard band.query.divisor > 0, band.key.divisor > 0 else { throw fail("band \(index) has a non-positive divisor") }
            guard band.minimumDistance == next else {
                throw fail("band \(index) starts at distance \(band.minimumDistance), expected \(next): bands must cover all distances in order")
            }
            if let maximum = band.maximumDistance {
                guard maximum >= band.minimumDistance else { throw fail("band \(index) is empty") }
                next = maximum + 1
            } else {
                guard index == bands.count - 1 else { throw fail("only the last band may be unbounded") }
                next = -1
            }
        }
        guard next == -1 else { throw fail("the last band must be unbounded so every distance is covered") }
    }
}

extension PositionBand {
    /// Every distance, positions unchanged.
    public static let all = PositionBand(minimumDistance: 0, maximumDistance: nil, query: .identity, key: .identity)

    /// Self-Extend's two bands, the definition the self-extend plugin implements: neighbours
    /// (distance below `window`) at their own positions, distant keys at `j / group` with
    /// queries at `i / group + window - window / group`. For plans composed in Swift (tests, tools).
    public static func selfExtend(group: Int, window: Int) -> [PositionBand] {
        [PositionBand(minimumDistance: 0, maximumDistance: window - 1, query: .identity, key: .identity),
         PositionBand(minimumDistance: window, maximumDistance: nil,
                      query: PositionTransform(divisor: group, offset: window - window / group), key: PositionTransform(divisor: group))]
    }
}

/// The hook for training-free context extension.
///
/// Implementations describe how positions are encoded for a sequence of a
/// given length; the transformer does the computing. Plugins (linear
/// interpolation, NTK, YaRN, Self-Extend) implement this.
public protocol PositionEncoding: Sendable {
    /// A short name for logs and status ("rope", "linear x4", …).
    var name: String { get }
    /// The plan for a sequence that will reach `sequenceLength` positions.
    func plan(for rope: RoPEParameters, sequenceLength: Int) throws(SealModelError) -> PositionEncodingPlan
    /// How many positions this encoding lets the model address.
    func effectiveContextLength(for rope: RoPEParameters) -> Int
}

/// Plain RoPE as the model was trained: no extension.
public struct StandardRoPE: PositionEncoding {
    public init() {}
    public var name: String { "rope" }

    public func plan(for rope: RoPEParameters, sequenceLength: Int) throws(SealModelError) -> PositionEncodingPlan {
        PositionEncodingPlan(inverseFrequencies: rope.baseInverseFrequencies)
    }

    public func effectiveContextLength(for rope: RoPEParameters) -> Int { rope.trainedContextLength }
}
