import SealModel
import SealTuning

/// The backward pass tuning jobs train with.
enum GradientEngines {
    /// The reverse-mode scale-gradient engine for a model and position encoding.
    static func reverseMode(_ model: TransformerModel, _ encoding: any PositionEncoding) throws -> any ScaleGradientComputing {
        throw ServiceError.unavailable("this build of seald has no scale-gradient engine; tuning jobs cannot run", code: "tuning_unavailable")
    }
}
