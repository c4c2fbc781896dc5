import SealModel
import SealTuning

/// The backward pass tuning jobs train with.
enum GradientEngines {
    /// The reverse-mode scale-gradient engine for a model and position encoding, sized for
    /// samples of up to `capacity` tokens.
    static func reverseMode(_ model: TransformerModel, _ encoding: any PositionEncoding, capacity: Int) throws -> any ScaleGradientComputing {
        do {
            return try ScaleGradientEngine(model: model, positionEncoding: encoding, capacity: capacity)
        } catch {
            throw ServiceError.unprocessable(error.description)
        }
    }
}
