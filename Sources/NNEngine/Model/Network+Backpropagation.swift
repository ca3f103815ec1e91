/// Backpropagation: the gradient of a loss with respect to every weight and bias.
extension Network {
    /// The loss at one batch and its gradient with respect to every parameter.
    ///
    /// X: [batch, inputs], T: [batch, outputs]. Runs forward, then backward from the
    /// output layer: δ_L = ∂L/∂Z of the last layer, and for each layer below
    /// δ = (δ_above W_above) through that layer's activation.
    /// A network without layers has no parameters, so only the loss is filled in.
    /// Never drops anything: training with dropout uses `trainingGradients`. Batch
    /// normalization uses the batch's statistics, as a training step does, so these are the
    /// gradients of `trainingLoss`.
    public func gradients(input: Matrix, target: Matrix, loss: Loss) -> NetworkGradients {
        gradients(of: forward(input, dropoutMasks: Array(repeating: nil, count: layers.count)), target: target, loss: loss)
    }

    /// The loss a training step sees, without dropout: batch normalization by the batch's
    /// statistics. The same as `loss(input:target:loss:)` without batch normalization.
    public func trainingLoss(input: Matrix, target: Matrix, loss: Loss) -> Double {
        self.loss(input: input, target: target, loss: loss, dropoutMasks: Array(repeating: nil, count: layers.count))
    }

    /// The loss and gradients for a forward pass already run, with or without dropout masks.
    ///
    /// Where a layer's outputs were multiplied by a mask M, the gradient reaching φ(Z) is
    /// the gradient of its output times M (a dropped output passes nothing back).
    /// With `sampleWeights` (one per row) the loss is `Loss.value(output:target:sampleWeights:)`
    /// and each row of δ_L is multiplied by its sample's weight.
    public func gradients(of pass: ForwardPass, target: Matrix, loss: Loss, sampleWeights: [Double]? = nil) -> NetworkGradients {
        precondition(pass.layers.count == layers.count, "a forward pass of \(pass.layers.count) layers for \(layers.count)")
        precondition(target.rows == pass.input.rows && target.columns == outputCount,
                     "targets are \(target.rows)×\(target.columns), network gives \(pass.input.rows)×\(outputCount)")
        let input = pass.input
        let lossValue = self.loss(of: pass, target: target, loss: loss, sampleWeights: sampleWeights)

        var weights: [Matrix] = []
        var biases: [[Double]] = []
        var gammas: [[Double]] = []
        var betas: [[Double]] = []
        var deltas: [Matrix] = []
        weights.reserveCapacity(layers.count)
        biases.reserveCapacity(layers.count)
        deltas.reserveCapacity(layers.count)
        var delta = outputDelta(of: pass, target: target, loss: loss)
        if let sampleWeights, delta.count > 0 {
            precondition(sampleWeights.count == delta.rows, "\(sampleWeights.count) weights for \(delta.rows) samples")
            let (rows, columns) = (delta.rows, delta.columns)
            delta.storage.withUnsafeMutableBufferPointer { d in
                sampleWeights.withUnsafeBufferPointer { w in Loss.weighRows(d.baseAddress!, by: w.baseAddress!, rows: rows, columns: columns) }
            }
        }
        for index in layers.indices.reversed() {
            let layerInput = index == 0 ? input : pass.layers[index - 1].output
            if let normalization = pass.layers[index].normalization, let batchNorm = layers[index].batchNorm {
                // δ so far is ∂L/∂Y; back through the normalization to ∂L/∂Z.
                let normalized = normalization.backward(delta, gamma: batchNorm.gamma)
                delta = normalized.linear
                gammas.append(normalized.gamma)
                betas.append(normalized.beta)
            } else {
                gammas.append([])
                betas.append([])
            }
            let layerGradients = layers[index].gradients(input: layerInput, delta: delta)
            weights.append(layerGradients.weights)
            biases.append(layerGradients.biases)
            deltas.append(delta)
            if index > 0 {
                let below = pass.layers[index - 1]
                let outputGradient = below.dropoutMask.map { layerGradients.input * $0 } ?? layerGradients.input
                delta = layers[index - 1].activation.backward(net: below.net, output: below.activated,
                                                              outputGradient: outputGradient)
            }
        }
        return NetworkGradients(weights: weights.reversed(), biases: biases.reversed(),
                                deltas: deltas.reversed(), loss: lossValue,
                                gammas: gammas.reversed(), betas: betas.reversed())
    }

    /// δ_L = ∂L/∂Z of the output layer, through the loss's gradient and the activation's Jacobian.
    ///
    /// Softmax + cross_entropy and sigmoid + binary_cross_entropy have a closed form,
    /// `Loss.closedFormDelta`, which this takes; tests prove each equal to `generalOutputDelta`.
    /// An output layer with a dropout mask takes the general route.
    public func outputDelta(of pass: ForwardPass, target: Matrix, loss: Loss) -> Matrix {
        guard let last = layers.last, let values = pass.layers.last else { return Matrix(rows: 0, columns: 0) }
        guard values.dropoutMask == nil else { return generalOutputDelta(of: pass, target: target, loss: loss) }
        let output = values.output
        var delta = output
        let closed = output.count > 0 && output.storage.withUnsafeBufferPointer { a in
            target.storage.withUnsafeBufferPointer { t in
                delta.storage.withUnsafeMutableBufferPointer { d in
                    loss.closedFormDelta(activation: last.activation, output: a.baseAddress!, target: t.baseAddress!,
                                         into: d.baseAddress!, rows: output.rows, columns: output.columns)
                }
            }
        }
        return closed ? delta : generalOutputDelta(of: pass, target: target, loss: loss)
    }

    /// δ_L by the general route: ∂L/∂A from the loss (times the dropout mask, if any), then
    /// back through the output activation.
    public func generalOutputDelta(of pass: ForwardPass, target: Matrix, loss: Loss) -> Matrix {
        guard let last = layers.last, let values = pass.layers.last else { return Matrix(rows: 0, columns: 0) }
        let lossGradient = loss.gradient(output: values.output, target: target)
        let outputGradient = values.dropoutMask.map { lossGradient * $0 } ?? lossGradient
        return last.activation.backward(net: values.net, output: values.activated, outputGradient: outputGradient)
    }
}

/// The gradient of a loss with respect to every parameter of a network, layer by layer.
public struct NetworkGradients: Equatable, Sendable {
    /// ∂L/∂W per layer, each [units, inputs] like the layer's weights.
    public var weights: [Matrix]
    /// ∂L/∂b per layer.
    public var biases: [[Double]]
    /// δ = ∂L/∂Z per layer, each [batch, units] (Z before any batch normalization).
    public var deltas: [Matrix]
    /// The loss at the parameters these gradients were taken at.
    public var loss: Double
    /// ∂L/∂γ and ∂L/∂β per layer, empty for a layer without batch normalization (or all
    /// layers, when the arrays themselves are empty).
    public var gammas: [[Double]]
    public var betas: [[Double]]

    public init(weights: [Matrix], biases: [[Double]], deltas: [Matrix], loss: Double,
                gammas: [[Double]] = [], betas: [[Double]] = []) {
        self.weights = weights
        self.biases = biases
        self.deltas = deltas
        self.loss = loss
        self.gammas = gammas
        self.betas = betas
    }

    /// ∂L/∂γ of layer `index` (0-based), empty without batch normalization.
    public func gamma(layer index: Int) -> [Double] { gammas.indices.contains(index) ? gammas[index] : [] }
    /// ∂L/∂β of layer `index` (0-based), empty without batch normalization.
    public func beta(layer index: Int) -> [Double] { betas.indices.contains(index) ? betas[index] : [] }
}
