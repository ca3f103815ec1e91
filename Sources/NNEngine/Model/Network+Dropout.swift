/// Inverted dropout during training: each output of a layer with dropout p is zeroed with
/// probability p and the others are scaled by 1/(1 − p), so every output keeps its expected
/// value and inference (`forward(_:)`, `predict`, `loss`) needs no change.
///
/// The masks are drawn apart from the forward pass, so a test can hold one mask fixed and
/// compare the gradients with finite differences of the loss under that same mask.
extension Network {
    /// Whether any layer has dropout.
    public var hasDropout: Bool {
        layers.contains { $0.dropout > 0 }
    }

    /// A fresh mask per layer for a batch of `rows` samples: nil for layers without dropout.
    ///
    /// Draws `rows × units` uniforms from `generator` for each layer with dropout, first layer
    /// first, row by row, and none for the others; element M = 0 if the draw is below p, else 1/(1 − p).
    public func dropoutMasks(rows: Int, generator: inout SeededGenerator) -> [Matrix?] {
        layers.map { layer in
            guard layer.dropout > 0 else { return nil }
            precondition(layer.dropout < 1, "dropout must be below 1, not \(layer.dropout)")
            let kept = 1 / (1 - layer.dropout)
            var mask = Matrix(rows: rows, columns: layer.units)
            for i in 0..<mask.count {
                mask.storage[i] = generator.nextDouble() < layer.dropout ? 0 : kept
            }
            return mask
        }
    }

    /// The training forward pass, each layer's outputs multiplied by its mask, if it has one:
    /// X: [batch, inputs] -> each layer's Z, φ(Z) and φ(Z) ⊙ M. Batch normalization uses the
    /// batch's statistics.
    public func forward(_ input: Matrix, dropoutMasks: [Matrix?]) -> ForwardPass {
        precondition(input.columns == inputCount, "network expects \(inputCount) inputs, got \(input.columns)")
        precondition(dropoutMasks.count == layers.count, "\(dropoutMasks.count) dropout masks for \(layers.count) layers")
        var values: [LayerValues] = []
        values.reserveCapacity(layers.count)
        var current = input
        for (layer, mask) in zip(layers, dropoutMasks) {
            let (net, activated, normalization) = layer.forward(current, batchStatistics: true)
            var layerValues = mask.map { LayerValues(net: net, activated: activated, dropoutMask: $0) }
                ?? LayerValues(net: net, output: activated)
            layerValues.normalization = normalization
            values.append(layerValues)
            current = layerValues.output
        }
        return ForwardPass(input: input, layers: values)
    }

    /// The loss under fixed dropout masks: what `gradients(input:target:loss:dropoutMasks:)` differentiates.
    public func loss(input: Matrix, target: Matrix, loss: Loss, dropoutMasks: [Matrix?]) -> Double {
        self.loss(of: forward(input, dropoutMasks: dropoutMasks), target: target, loss: loss)
    }

    /// The loss at one batch and its gradients under fixed dropout masks.
    public func gradients(input: Matrix, target: Matrix, loss: Loss, dropoutMasks: [Matrix?]) -> NetworkGradients {
        gradients(of: forward(input, dropoutMasks: dropoutMasks), target: target, loss: loss)
    }

    /// The loss at one batch and its gradients with fresh dropout masks from `generator`,
    /// as one training step needs them. Draws nothing when no layer has dropout.
    public func trainingGradients(input: Matrix, target: Matrix, loss: Loss, generator: inout SeededGenerator) -> NetworkGradients {
        gradients(input: input, target: target, loss: loss, dropoutMasks: dropoutMasks(rows: input.rows, generator: &generator))
    }
}
