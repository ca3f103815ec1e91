/// Backpropagation: the gradient of a loss with respect to every weight and bias.
extension Network {
    /// The loss at one batch and its gradient with respect to every parameter.
    ///
    /// X: [batch, inputs], T: [batch, outputs]. Runs forward, then backward from the
    /// output layer: δ_L = ∂L/∂Z of the last layer, and for each layer below
    /// δ = (δ_above W_above) through that layer's activation.
    /// A network without layers has no parameters, so only the loss is filled in.
    public func gradients(input: Matrix, target: Matrix, loss: Loss) -> NetworkGradients {
        precondition(target.rows == input.rows && target.columns == outputCount,
                     "targets are \(target.rows)×\(target.columns), network gives \(input.rows)×\(outputCount)")
        let pass = forward(input)
        let lossValue = loss.value(output: pass.output, target: target)

        var weights: [Matrix] = []
        var biases: [[Double]] = []
        var deltas: [Matrix] = []
        var delta = outputDelta(of: pass, target: target, loss: loss)
        for index in layers.indices.reversed() {
            let layerInput = index == 0 ? input : pass.layers[index - 1].output
            let layerGradients = layers[index].gradients(input: layerInput, delta: delta)
            weights.append(layerGradients.weights)
            biases.append(layerGradients.biases)
            deltas.append(delta)
            if index > 0 {
                let below = pass.layers[index - 1]
                delta = layers[index - 1].activation.backward(net: below.net, output: below.output,
                                                              outputGradient: layerGradients.input)
            }
        }
        return NetworkGradients(weights: weights.reversed(), biases: biases.reversed(),
                                deltas: deltas.reversed(), loss: lossValue)
    }

    /// δ_L = ∂L/∂Z of the output layer, through the loss's gradient and the activation's Jacobian.
    ///
    /// Two pairs have a closed form that skips the Jacobian and is better conditioned
    /// when outputs saturate at 0 or 1; tests prove each equal to `generalOutputDelta`:
    /// - softmax + cross_entropy: δ_j = (a_j Σ_k t_k − t_j)/N, which is (a − t)/N for
    ///   targets that sum to 1 per row and stays exact for targets that do not;
    /// - sigmoid + binary_cross_entropy: δ = (a − t)/(N·K).
    public func outputDelta(of pass: ForwardPass, target: Matrix, loss: Loss) -> Matrix {
        guard let last = layers.last, let values = pass.layers.last else { return Matrix(rows: 0, columns: 0) }
        let output = values.output
        switch (last.activation, loss) {
        case (.softmax, .crossEntropy):
            var delta = output
            let n = Double(output.rows)
            for r in 0..<output.rows {
                let row = r * output.columns
                var targetSum = 0.0
                for c in 0..<output.columns { targetSum += target.storage[row + c] }
                for c in 0..<output.columns {
                    delta.storage[row + c] = (output.storage[row + c] * targetSum - target.storage[row + c]) / n
                }
            }
            return delta
        case (.sigmoid, .binaryCrossEntropy):
            let nk = Double(output.count)
            return output.zipMap(target) { a, t in (a - t) / nk }
        default:
            return generalOutputDelta(of: pass, target: target, loss: loss)
        }
    }

    /// δ_L by the general route: ∂L/∂A from the loss, then back through the output activation.
    public func generalOutputDelta(of pass: ForwardPass, target: Matrix, loss: Loss) -> Matrix {
        guard let last = layers.last, let values = pass.layers.last else { return Matrix(rows: 0, columns: 0) }
        let outputGradient = loss.gradient(output: values.output, target: target)
        return last.activation.backward(net: values.net, output: values.output, outputGradient: outputGradient)
    }
}

/// The gradient of a loss with respect to every parameter of a network, layer by layer.
public struct NetworkGradients: Equatable, Sendable {
    /// ∂L/∂W per layer, each [units, inputs] like the layer's weights.
    public var weights: [Matrix]
    /// ∂L/∂b per layer.
    public var biases: [[Double]]
    /// δ = ∂L/∂Z per layer, each [batch, units].
    public var deltas: [Matrix]
    /// The loss at the parameters these gradients were taken at.
    public var loss: Double

    public init(weights: [Matrix], biases: [[Double]], deltas: [Matrix], loss: Double) {
        self.weights = weights
        self.biases = biases
        self.deltas = deltas
        self.loss = loss
    }
}
