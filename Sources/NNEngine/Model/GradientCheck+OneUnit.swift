/// The training loss after a change to one unit's parameters, from the forward pass before it.
///
/// A weight W[u, c], a bias b[u], or batch normalization's γ[u] or β[u] of layer l enters the
/// forward pass only through column u of that layer's Z = X Wᵀ + b (with batch normalization,
/// through column u's batch statistics too, which no other column shares). So the layers below
/// need not run again: column u is summed again from their cached output, normalized and
/// activated by the same formulas (the whole layer again for softmax, whose rows mix), and the
/// layers above run as `forward(_:dropoutMasks:)` runs them. The result is `trainingLoss`'s, up
/// to the rounding of column u's sums, which BLAS may add in another order (for products small
/// enough for the plain loop it is the same number).
extension GradientCheck {
    /// A training forward pass (batch statistics, no dropout) kept for
    /// `Network.trainingLoss(changingUnit:ofLayer:from:target:loss:)`.
    public struct CachedPass: Sendable {
        public let pass: Network.ForwardPass
        /// Each layer's input transposed, [inputs, rows], so that a unit's column is summed for
        /// every row at once, each row's terms still in ascending order.
        let transposedInputs: [Matrix]

        public init(network: Network, inputs: Matrix) {
            let pass = network.forward(inputs, dropoutMasks: Array(repeating: nil, count: network.layers.count))
            self.pass = pass
            transposedInputs = network.layers.indices.map { index in
                (index == 0 ? inputs : pass.layers[index - 1].output).transposed
            }
        }
    }
}

extension Network {
    /// `trainingLoss(input:target:loss:)` of this network, which differs from the one that made
    /// `cached` only in the parameters of unit `unit` (0-based) of layer `index`.
    public func trainingLoss(changingUnit unit: Int, ofLayer index: Int, from cached: GradientCheck.CachedPass,
                             target: Matrix, loss: Loss) -> Double {
        let pass = cached.pass
        precondition(pass.layers.count == layers.count && layers.indices.contains(index) && unit < layers[index].units,
                     "unit \(unit) of layer \(index) of a pass of \(pass.layers.count) layers")
        let layer = layers[index]
        let rows = pass.input.rows
        // Z[r, u] = Σ_c X[r, c] W[u, c] + b[u], the terms in ascending c as the plain product loop adds them.
        var linear = Matrix(rows: rows, columns: 1)
        let input = cached.transposedInputs[index]
        input.storage.withUnsafeBufferPointer { x in
            layer.weights.storage.withUnsafeBufferPointer { w in
                linear.storage.withUnsafeMutableBufferPointer { z in
                    guard let x = x.baseAddress, let z = z.baseAddress else { return }
                    let weights = w.baseAddress! + unit * layer.inputCount
                    // Eight rows at a time in SIMD lanes: a product then a sum in each lane, as the scalar loop rounds them.
                    let whole = rows / 8 * 8
                    for first in stride(from: 0, to: whole, by: 8) {
                        var sum = SIMD8<Double>()
                        for c in 0..<layer.inputCount {
                            let column = UnsafeRawPointer(x + c * rows + first).loadUnaligned(as: SIMD8<Double>.self)
                            sum = sum + column * SIMD8(repeating: weights[c])
                        }
                        for lane in 0..<8 { z[first + lane] = sum[lane] }
                    }
                    for c in 0..<layer.inputCount {
                        let (column, weight) = (x + c * rows, weights[c])
                        for r in whole..<rows { z[r] += column[r] * weight }
                    }
                }
            }
        }
        for r in 0..<rows { linear[r, 0] += layer.biases[unit] }
        // Batch normalization works column by column: column u alone, with its γ, β and running estimates.
        let net = layer.batchNorm.map { batchNorm in
            BatchNormValues(linear: linear, batchNorm: BatchNorm(gamma: [batchNorm.gamma[unit]], beta: [batchNorm.beta[unit]],
                                                                runningMean: [batchNorm.runningMean[unit]],
                                                                runningVariance: [batchNorm.runningVariance[unit]], batchesTracked: 0),
                            batchStatistics: true).output
        } ?? linear
        var changed = pass.layers[index]
        changed.normalization = nil  // what is left of it is not the changed layer's; the loss does not need it
        for r in 0..<rows { changed.net[r, unit] = net[r, 0] }
        if layer.activation.isElementwise {
            let activated = layer.activation.apply(net)
            for r in 0..<rows { changed.output[r, unit] = activated[r, 0] }
        } else {
            changed.output = layer.activation.apply(changed.net)
        }
        changed.activated = changed.output
        var values = Array(pass.layers[..<index])
        values.reserveCapacity(layers.count)
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
