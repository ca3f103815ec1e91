/// A fully connected layer: every unit sees every input, `a = φ(W x + b)`.
public struct DenseLayer: Equatable, Sendable {
    /// W: [units, inputs]; row r holds the weights of unit r, so z = W x + b for one sample.
    public var weights: Matrix
    /// b: [units].
    public var biases: [Double]
    public var activation: Activation
    /// p, the probability that training zeroes each of the layer's outputs (inverted dropout:
    /// the kept ones are scaled by 1/(1 − p)); 0 ≤ p < 1. Inference never drops anything.
    public var dropout: Double
    /// The batch normalization between Z and the activation, or nil: then a = φ(Z).
    public var batchNorm: BatchNorm?

    /// A layer with the given parameters; `biases` has one entry per row of `weights`.
    public init(weights: Matrix, biases: [Double], activation: Activation, dropout: Double = 0, batchNorm: BatchNorm? = nil) {
        precondition(biases.count == weights.rows, "\(biases.count) biases for \(weights.rows) units")
        precondition(dropout >= 0 && dropout < 1, "dropout must be in [0, 1), not \(dropout)")
        precondition(batchNorm.map { $0.units == weights.rows } ?? true, "batch normalization of another width")
        self.weights = weights
        self.biases = biases
        self.activation = activation
        self.dropout = dropout
        self.batchNorm = batchNorm
    }

    /// A layer of `units` units over `inputs` inputs, weights drawn by `initializer`, biases zero.
    public init(inputs: Int, units: Int, activation: Activation,
                initializer: Initializer = .xavierUniform, generator: inout SeededGenerator) {
        self.init(weights: initializer.weights(units: units, inputs: inputs, generator: &generator),
                  biases: initializer.biases(units: units),
                  activation: activation)
    }

    public var units: Int { weights.rows }
    public var inputCount: Int { weights.columns }
    /// Weights plus biases, plus γ and β with batch normalization.
    public var parameterCount: Int { weights.count + biases.count + (batchNorm?.parameterCount ?? 0) }

    // MARK: - Forward and backward

    /// The net input and output for a batch: X: [batch, in] -> Z, A: [batch, units].
    ///
    /// Z = X Wᵀ + b (b added to every row), A = φ(Z). With batch normalization, `net` is
    /// what the activation sees, Y = γ x̂ + β, from the running statistics (inference).
    public func forward(_ input: Matrix) -> (net: Matrix, output: Matrix) {
        let values = forward(input, batchStatistics: false)
        return (values.net, values.output)
    }

    /// The gradients for a batch given ∂L/∂A: X: [batch, in], Z, A, dA: [batch, units].
    ///
    /// δ = ∂L/∂Z from the activation; ∂L/∂W = δᵀ X: [units, in]; ∂L/∂b = Σ over the
    /// batch of δ: [units]; ∂L/∂X = δ W: [batch, in], the next layer down's dA.
    public func backward(input: Matrix, net: Matrix, output: Matrix, outputGradient: Matrix) -> DenseLayerGradients {
        let delta = activation.backward(net: net, output: output, outputGradient: outputGradient)
        return gradients(input: input, delta: delta)
    }

    /// The gradients for a batch when δ = ∂L/∂Z is already known: X: [batch, in], δ: [batch, units].
    public func gradients(input: Matrix, delta: Matrix) -> DenseLayerGradients {
        precondition(input.columns == inputCount && delta.columns == units && input.rows == delta.rows,
                     "input \(input.rows)×\(input.columns) and delta \(delta.rows)×\(delta.columns) do not fit a \(units)×\(inputCount) layer")
        return DenseLayerGradients(
            net: delta,
            weights: Matrix.product(delta, input, transposeA: true),
            biases: delta.columnSums(),
            input: Matrix.product(delta, weights)
        )
    }
}

/// What `DenseLayer.backward` finds: the gradient of the loss with respect to everything in and around the layer.
public struct DenseLayerGradients: Equatable, Sendable {
    /// δ = ∂L/∂Z: [batch, units].
    public var net: Matrix
    /// ∂L/∂W = δᵀ X: [units, inputs].
    public var weights: Matrix
    /// ∂L/∂b, δ summed over the batch: [units].
    public var biases: [Double]
    /// ∂L/∂X = δ W: [batch, inputs].
    public var input: Matrix

    public init(net: Matrix, weights: Matrix, biases: [Double], input: Matrix) {
        self.net = net
        self.weights = weights
        self.biases = biases
        self.input = input
    }
}
