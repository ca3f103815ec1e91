/// The training loss after a change to one unit's parameters, from the forward pass before it.
///
/// A weight W[u, c], a bias b[u], or batch normalization's γ[u] or β[u] of layer l enters the
/// forward pass only through column u of that layer's Z = X Wᵀ + b (with batch normalization,
/// through column u's batch statistics too, which no other column shares). So the layers below
/// need not run again: column u is summed again from their cached output, the layer's
/// normalization and activation are applied to the whole layer as `DenseLayer.forward` applies
/// them, and the layers above run as `forward(_:dropoutMasks:)` runs them. The result is
/// `trainingLoss`'s, up to the rounding of column u's sums, which BLAS may add in another order
/// (for products small enough for the plain loop it is the same number).
extension Network {
    /// `trainingLoss(input:target:loss:)` of this network, which differs from the one that made
    /// `pass` (a training forward pass: batch statistics, no dropout) only in the parameters of
    /// unit `unit` (0-based) of layer `index`.
    public func trainingLoss(changingUnit unit: Int, ofLayer index: Int, from pass: ForwardPass, target: Matrix, loss: Loss) -> Double {
        precondition(pass.layers.count == layers.count && layers.indices.contains(index) && unit < layers[index].units,
                     "unit \(unit) of layer \(index) of a pass of \(pass.layers.count) layers")
        let layer = layers[index]
        let input = index == 0 ? pass.input : pass.layers[index - 1].output
        var linear = pass.layers[index].normalization?.linear ?? pass.layers[index].net
        // Z[r, u] = Σ_c X[r, c] W[u, c] + b[u], the k terms in ascending order as the plain product loop adds them.
        input.storage.withUnsafeBufferPointer { x in
            layer.weights.storage.withUnsafeBufferPointer { w in
                linear.storage.withUnsafeMutableBufferPointer { z in
                    let (inputs, units) = (layer.inputCount, layer.units)
                    let row = w.baseAddress! + unit * inputs
                    for r in 0..<input.rows {
                        let sample = x.baseAddress! + r * inputs
                        var sum = 0.0
                        for c in 0..<inputs { sum += sample[c] * row[c] }
                        z[r * units + unit] = sum + layer.biases[unit]
                    }
                }
            }
        }
        var values = Array(pass.layers[..<index])
        values.reserveCapacity(layers.count)
        let normalization = layer.batchNorm.map { BatchNormValues(linear: linear, batchNorm: $0, batchStatistics: true) }
        let net = normalization?.output ?? linear
        var changed = LayerValues(net: net, output: layer.activation.apply(net))
        changed.normalization = normalization
        values.append(changed)
        var current = changed.output
        for above in layers[(index + 1)...] {
            let (net, activated, normalization) = above.forward(current, batchStatistics: true)
            var layerValues = LayerValues(net: net, output: activated)
            layerValues.normalization = normalization
            values.append(layerValues)
            current = activated
        }
        return self.loss(of: ForwardPass(input: pass.input, layers: values), target: target, loss: loss)
    }
}
