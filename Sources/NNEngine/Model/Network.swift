/// A feed-forward network: an input size and a stack of dense layers.
public struct Network: Equatable, Sendable {
    public var inputCount: Int
    /// The layers from the first hidden layer to the output layer.
    public var layers: [DenseLayer]

    /// A network with `inputCount` inputs and no layers yet.
    public init(inputCount: Int) {
        precondition(inputCount > 0, "a network needs at least one input")
        self.inputCount = inputCount
        self.layers = []
    }

    /// A network from existing layers; each layer's inputs must match the previous layer's units.
    public init(inputCount: Int, layers: [DenseLayer]) {
        self.init(inputCount: inputCount)
        for layer in layers {
            precondition(layer.inputCount == outputCount, "layer with \(layer.inputCount) inputs after \(outputCount) outputs")
            self.layers.append(layer)
        }
    }

    /// Adds a layer of `units` units on top, its weights drawn by `initializer`, biases zero.
    public mutating func appendLayer(units: Int, activation: Activation,
                                     initializer: Initializer = .xavierUniform,
                                     generator: inout SeededGenerator) {
        precondition(units > 0, "a layer needs at least one unit")
        layers.append(DenseLayer(inputs: outputCount, units: units, activation: activation,
                                 initializer: initializer, generator: &generator))
    }

    /// Draws every weight afresh, first layer first, sets every bias to zero and starts any
    /// batch normalization afresh (γ = 1, β = 0, running estimates 0 and 1), as PyTorch's `reset_parameters`.
    public mutating func reinitialize(initializer: Initializer, generator: inout SeededGenerator) {
        for index in layers.indices {
            let layer = layers[index]
            layers[index].weights = initializer.weights(units: layer.units, inputs: layer.inputCount, generator: &generator)
            layers[index].biases = initializer.biases(units: layer.units)
            if layer.batchNorm != nil { layers[index].batchNorm = BatchNorm(units: layer.units) }
        }
    }

    /// The number of outputs: the last layer's units, or the inputs if there are no layers.
    public var outputCount: Int { layers.last?.units ?? inputCount }

    /// Every weight and bias, and γ and β of batch normalization.
    public var parameterCount: Int { layers.reduce(0) { $0 + $1.parameterCount } }

    /// Whether no weight or bias is NaN or infinite.
    public var allParametersFinite: Bool {
        layers.allSatisfy { layer in
            layer.weights.isFinite && layer.biases.allSatisfy(\.isFinite)
                && (layer.batchNorm.map { ($0.gamma + $0.beta).allSatisfy(\.isFinite) } ?? true)
        }
    }

    // MARK: - Forward

    /// Every layer's net input and output for one batch, kept for the backward pass.
    public struct ForwardPass: Equatable, Sendable {
        /// X: [batch, inputs].
        public var input: Matrix
        /// One entry per layer, first hidden layer first.
        public var layers: [LayerValues]
        /// The last layer's output, or the input if there are no layers.
        public var output: Matrix { layers.last?.output ?? input }

        public init(input: Matrix, layers: [LayerValues]) {
            self.input = input
            self.layers = layers
        }
    }

    /// A layer's net input Z and output, all [batch, units].
    ///
    /// Without dropout the output is A = φ(Z); with a dropout mask M it is φ(Z) ⊙ M, and
    /// φ(Z) itself is kept in `activated` for the backward pass.
    public struct LayerValues: Equatable, Sendable {
        public var net: Matrix
        /// What the next layer sees: φ(Z), or φ(Z) ⊙ M during training with dropout.
        public var output: Matrix
        /// φ(Z) before any dropout; the same as `output` when there is no mask.
        public var activated: Matrix
        /// M: 0 for a dropped output, 1/(1 − p) for a kept one; nil without dropout.
        public var dropoutMask: Matrix?
        /// With batch normalization, Z before it and what it computed; `net` is then Y = γ x̂ + β.
        public var normalization: BatchNormValues?

        public init(net: Matrix, output: Matrix) {
            self.net = net
            self.output = output
            self.activated = output
            self.dropoutMask = nil
        }

        /// The values of a layer whose outputs φ(Z) = `activated` are multiplied by `dropoutMask`.
        public init(net: Matrix, activated: Matrix, dropoutMask: Matrix) {
            precondition(dropoutMask.rows == activated.rows && dropoutMask.columns == activated.columns,
                         "dropout mask \(dropoutMask.rows)×\(dropoutMask.columns) for outputs \(activated.rows)×\(activated.columns)")
            self.net = net
            self.activated = activated
            self.output = activated * dropoutMask
            self.dropoutMask = dropoutMask
        }
    }

    /// Runs a batch through every layer: X: [batch, inputs] -> each layer's Z and A.
    /// Batch normalization uses its running statistics (inference, PyTorch's `eval()`);
    /// `forward(_:dropoutMasks:)` is the training pass.
    public func forward(_ input: Matrix) -> ForwardPass {
        precondition(input.columns == inputCount, "network expects \(inputCount) inputs, got \(input.columns)")
        var values: [LayerValues] = []
        values.reserveCapacity(layers.count)
        var current = input
        for layer in layers {
            let (net, output, normalization) = layer.forward(current, batchStatistics: false)
            var layerValues = LayerValues(net: net, output: output)
            layerValues.normalization = normalization
            values.append(layerValues)
            current = output
        }
        return ForwardPass(input: input, layers: values)
    }

    /// The network's outputs: X: [batch, inputs] -> Y: [batch, outputs].
    public func predict(_ input: Matrix) -> Matrix {
        forward(input).output
    }

    /// The loss of the network's outputs for `input` against `target`, batch normalization by
    /// its running statistics (inference); `trainingLoss` is the one a step sees.
    public func loss(input: Matrix, target: Matrix, loss: Loss) -> Double {
        self.loss(of: forward(input), target: target, loss: loss)
    }

    /// The loss of a forward pass against `target`: from the output layer's net input where
    /// the loss is exact after its activation (`Loss.isComputedFromNet(after:)`) and no
    /// dropout mask changed the outputs, else from the outputs.
    public func loss(of pass: ForwardPass, target: Matrix, loss: Loss, sampleWeights: [Double]? = nil) -> Double {
        guard let last = layers.last, let values = pass.layers.last, values.dropoutMask == nil else {
            return sampleWeights.map { loss.value(output: pass.output, target: target, sampleWeights: $0) }
                ?? loss.value(output: pass.output, target: target)
        }
        return loss.value(after: last.activation, net: values.net, output: values.output, target: target, sampleWeights: sampleWeights)
    }
}
