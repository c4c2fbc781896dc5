import SealModel

/// The sizes the backward pass works with, read once from the configuration and plan.
struct TrainingShape: Sendable {
    let layers: Int
    let model: Int
    let query: Int
    let keyValue: Int
    let feedForward: Int
    let headDimension: Int
    let heads: Int
    let groups: Int
    /// Query heads per KV head.
    let perGroup: Int
    let vocabulary: Int
    let bands: Int
    let pairs: Int
    let epsilon: Float
    /// Logit multiplier: attention factor² / √head dimension, as in the forward pass.
    let attentionScale: Float

    init(configuration c: ModelConfiguration, plan: PositionEncodingPlan) {
        layers = c.layerCount
        model = c.modelDimension
        query = c.queryDimension
        keyValue = c.keyValueDimension
        feedForward = c.feedForwardDimension
        headDimension = c.headDimension
        heads = c.headCount
        groups = c.keyValueHeadCount
        perGroup = c.queriesPerKeyValueHead
        vocabulary = c.vocabularySize
        bands = plan.bands.count
        pairs = c.ropeDimensionCount / 2
        epsilon = c.rmsNormEpsilon
        attentionScale = Float(plan.attentionFactor * plan.attentionFactor) / Float(c.headDimension).squareRoot()
    }
}
