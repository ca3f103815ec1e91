/// Plain gradient descent: θ ← θ − η ∂L/∂θ for every weight and bias.
public struct GradientDescent: Equatable, Sendable {
    /// η, the step size.
    public var learningRate: Double

    public init(learningRate: Double) {
        self.learningRate = learningRate
    }

    /// Takes one step, or none at all if any result would not be finite.
    ///
    /// Every new value (and the loss the gradients came with) is checked before anything
    /// changes, so a diverging step leaves the last finite parameters in place.
    /// Returns whether the step was taken.
    public func step(_ network: inout Network, gradients: NetworkGradients) -> Bool {
        precondition(gradients.weights.count == network.layers.count && gradients.biases.count == network.layers.count,
                     "gradients for \(gradients.weights.count) layers, network has \(network.layers.count)")
        guard gradients.loss.isFinite else { return false }
        var updated = network.layers
        for index in updated.indices {
            let weightGradient = gradients.weights[index]
            let biasGradient = gradients.biases[index]
            precondition(weightGradient.rows == updated[index].weights.rows && weightGradient.columns == updated[index].weights.columns
                         && biasGradient.count == updated[index].biases.count,
                         "gradient shapes differ from layer \(index + 1)")
            for i in 0..<weightGradient.count {
                let value = updated[index].weights.storage[i] - learningRate * weightGradient.storage[i]
                guard value.isFinite else { return false }
                updated[index].weights.storage[i] = value
            }
            for i in biasGradient.indices {
                let value = updated[index].biases[i] - learningRate * biasGradient[i]
                guard value.isFinite else { return false }
                updated[index].biases[i] = value
            }
        }
        network.layers = updated
        return true
    }
}
