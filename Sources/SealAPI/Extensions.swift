/// `GET /api/extensions/plan?target=N`: how each loaded context-extension method reaches a
/// target length on the loaded model, and Self-Extend's group/window choices.
public struct ExtensionPlanResponse: Codable, Sendable, Equatable {
    public var model: String
    /// The context the model was trained with (L).
    public var trainedContext: Int
    public var target: Int
    /// One entry per loaded method that reaches the target; each reach is the plugin's own.
    public var methods: [ExtensionMethodPlan]
    /// Self-Extend group sizes and neighbour windows for the target.
    public var selfExtend: [SelfExtendChoice]

    public init(model: String, trainedContext: Int, target: Int, methods: [ExtensionMethodPlan], selfExtend: [SelfExtendChoice]) {
        self.model = model
        self.trainedContext = trainedContext
        self.target = target
        self.methods = methods
        self.selfExtend = selfExtend
    }
}

/// One method's parameters that reach the target.
public struct ExtensionMethodPlan: Codable, Sendable, Equatable {
    public var plugin: String
    public var parameters: [String: JSONValue]
    /// Positions the plugin's plan reports for these parameters.
    public var effectiveContext: Int
    public var label: String
    /// The same choice as sealctl options.
    public var command: String

    public init(plugin: String, parameters: [String: JSONValue], effectiveContext: Int, label: String, command: String) {
        self.plugin = plugin
        self.parameters = parameters
        self.effectiveContext = effectiveContext
        self.label = label
        self.command = command
    }
}

/// A Self-Extend group size G and neighbour window W with what they give.
public struct SelfExtendChoice: Codable, Sendable, Equatable {
    public var group: Int
    public var window: Int
    /// (L - W) * G + W.
    public var effectiveContext: Int
    /// W + (target - W) / G: the largest position the model sees at the target.
    public var largestPosition: Int
    /// Whether that position stays within 2/3 of L (the authors' rule of thumb).
    public var withinRuleOfThumb: Bool

    public init(group: Int, window: Int, effectiveContext: Int, largestPosition: Int, withinRuleOfThumb: Bool) {
        self.group = group
        self.window = window
        self.effectiveContext = effectiveContext
        self.largestPosition = largestPosition
        self.withinRuleOfThumb = withinRuleOfThumb
    }
}
