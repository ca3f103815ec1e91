import NNEngine

/// Engineered inputs, as TensorFlow Playground offers them: each of the network's inputs is an
/// expression of the data's raw inputs x1…xm (`x1^2`, `x1*x2`, `sin(x1)`). The data keeps them
/// computed; `predict`, `forward X` and `plot boundary` compute them again for new raw inputs,
/// and model files keep their text.
public struct Features: Equatable, Sendable {
    /// Each feature as written, in order: the names of the network's inputs.
    public var texts: [String]
    /// The same, parsed.
    var expressions: [Expression]
    /// How many raw inputs x1…xm they read.
    public var rawInputCount: Int
    /// The data's raw inputs, for pictures over the raw plane; nil after `load`.
    var rawInputs: Matrix?
    /// The raw inputs' names, for those pictures.
    var rawNames: [String]
}
