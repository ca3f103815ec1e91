/// An optimizer moving one point θ ∈ ℝⁿ downhill on a function, as `descend` does: the same
/// update rules (`Optimizer.Rule`) and hyperparameters as training a network, with the state
/// kept per coordinate. A step that would make any value non-finite changes nothing.
public struct PointOptimizer: Sendable {
    public let settings: OptimizerSettings
    /// The number of steps taken: t of adam's bias correction.
    public private(set) var stepCount = 0
    private var beta1Power = 1.0
    private var beta2Power = 1.0
    /// What the rule keeps of past gradients, per coordinate; see `Optimizer.Rule.update`.
    private var gradientState: [Double]
    /// adam's moving average of g², per coordinate.
    private var squaredGradientAverage: [Double]

    /// An optimizer for points of `dimension` coordinates, with all state zero.
    public init(settings: OptimizerSettings, dimension: Int) {
        self.settings = settings
        gradientState = Array(repeating: 0, count: dimension)
        squaredGradientAverage = Array(repeating: 0, count: dimension)
    }

    /// One update of `point` by `gradient`, all or nothing: false, changing nothing (the state
    /// included), when a new coordinate or state value would not be finite.
    public mutating func step(_ point: inout [Double], gradient: [Double], learningRate: Double) -> Bool {
        precondition(point.count == gradientState.count && gradient.count == gradientState.count,
                     "a point of \(point.count) and a gradient of \(gradient.count) for an optimizer of \(gradientState.count)")
        let rule = Optimizer.Rule<Double>(settings: settings, learningRate: learningRate,
                                          beta1Power: beta1Power * settings.beta1, beta2Power: beta2Power * settings.beta2,
                                          isFirstStep: stepCount == 0)
        var newPoint = point
        var newState = gradientState
        var newSquares = squaredGradientAverage
        for index in point.indices {
            newPoint[index] = rule.update(point[index], gradient: gradient[index], state: &newState[index], squaredAverage: &newSquares[index])
            guard newPoint[index].isFinite, newState[index].isFinite, newSquares[index].isFinite else { return false }
        }
        point = newPoint
        gradientState = newState
        squaredGradientAverage = newSquares
        stepCount += 1
        beta1Power *= settings.beta1
        beta2Power *= settings.beta2
        return true
    }
}
