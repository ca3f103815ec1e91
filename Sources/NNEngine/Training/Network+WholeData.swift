/// The whole-data statements (`loss`, `grad`, `step`, `evaluate`, `predict`) on training's fast
/// path: a `TrainingWorkspace` in `Double` takes the samples `wholeDataBatchRows` rows at a time,
/// with the same buffers, products and kernels as `train`, instead of `Network.forward` and
/// `Network.gradients` building matrices of every sample at once.
///
/// Each answer is the readable reference's, summed as the reference defines it:
/// - the loss's terms are added into one total in the same order as `Loss.value` adds them, and
///   divided once by `Loss.averagingCount` of all the samples;
/// - the gradient is the sum over the batches of each batch's gradient, its δ_L scaled by the
///   batch's share of that count (`Loss.averagingCount(rows)` / `Loss.averagingCount(all)`), so each
///   batch contributes exactly its terms of the mean;
/// - outputs are row by row, so batches change nothing but the order products add in.
/// The tests (`WholeDataTests`) hold every one of them to the reference within 1e-12. Fewer
/// samples than one batch go to the reference itself.
///
/// Batch normalization in training mode (a whole-data step or gradient) normalizes by the
/// statistics of all the samples at once, which no batch sees: those keep the reference path.
/// In inference mode (loss, evaluate, predict) it normalizes by the running estimates, row by
/// row, and batches serve it. Dropout is off in all of them, as in the reference.
extension Network {
    /// Rows per batch: 512 rows of 784 inputs are 3 MB, and the products' other operands
    /// (Wᵀ and the layer buffers) stay in cache while the samples stream past.
    public static let wholeDataBatchRows = 512

    /// Whether `rows` samples take the batched path: when they fill at least one batch. Fewer
    /// take the reference, because making a workspace (five buffers the size of the parameters,
    /// the weights transposed in) costs about as much as the reference's pass over a batch of a
    /// 784-128-10 network, and `predict(x)` of a few samples in a loop stays as cheap as it was.
    private func batches(_ rows: Int, _ batchRows: Int) -> Bool { !layers.isEmpty && rows >= batchRows }

    /// Whether `wholeDataGradients` takes the fast path for this network: it has layers, and no
    /// batch normalization (whose training-mode statistics are over all the samples at once).
    public var hasBatchedGradients: Bool { !layers.isEmpty && !hasBatchNorm }

    /// The outputs for every row of `input`, batch normalization by its running statistics:
    /// `predict(_:)`, computed `batchRows` rows at a time (from `batchRows` rows up).
    public func wholeDataPredict(_ input: Matrix, batchRows: Int = Network.wholeDataBatchRows) -> Matrix {
        guard batches(input.rows, batchRows) else { return predict(input) }
        var outputs = Matrix(rows: input.rows, columns: outputCount)
        let columns = outputCount
        outputs.storage.withUnsafeMutableBufferPointer { out in
            let target = out.baseAddress!
            forEachBatch(of: input, batchRows: batchRows) { workspace, first, rows, _ in
                (target + first * columns).update(from: workspace.output, count: rows * columns)
            }
        }
        return outputs
    }

    /// The loss on every sample, batch normalization by its running statistics:
    /// `loss(input:target:loss:)`, computed `batchRows` rows at a time.
    public func wholeDataLoss(input: Matrix, target: Matrix, loss: Loss, batchRows: Int = Network.wholeDataBatchRows) -> Double {
        guard batches(input.rows, batchRows) else { return self.loss(input: input, target: target, loss: loss) }
        precondition(target.rows == input.rows && target.columns == outputCount,
                     "targets are \(target.rows)×\(target.columns), network gives \(input.rows)×\(outputCount)")
        var total = 0.0
        target.storage.withUnsafeBufferPointer { t in
            forEachBatch(of: input, batchRows: batchRows) { workspace, first, rows, _ in
                workspace.addUnmaskedLossTerms(loss, target: t.baseAddress! + first * outputCount, rows: rows, to: &total)
            }
        }
        return total / Double(loss.averagingCount(rows: input.rows, columns: outputCount))
    }

    /// The loss on every sample and the outputs for them, batch normalization by its running
    /// statistics: `loss(of: forward(input), …)` and `forward(input).output` in one pass,
    /// `batchRows` rows at a time.
    public func wholeDataEvaluation(input: Matrix, target: Matrix, loss: Loss,
                                    batchRows: Int = Network.wholeDataBatchRows) -> (loss: Double, outputs: Matrix) {
        guard batches(input.rows, batchRows) else {
            let pass = forward(input)
            return (self.loss(of: pass, target: target, loss: loss), pass.output)
        }
        precondition(target.rows == input.rows && target.columns == outputCount,
                     "targets are \(target.rows)×\(target.columns), network gives \(input.rows)×\(outputCount)")
        var total = 0.0
        var outputs = Matrix(rows: input.rows, columns: outputCount)
        let columns = outputCount
        target.storage.withUnsafeBufferPointer { t in
            outputs.storage.withUnsafeMutableBufferPointer { out in
                let destination = out.baseAddress!
                forEachBatch(of: input, batchRows: batchRows) { workspace, first, rows, _ in
                    workspace.addUnmaskedLossTerms(loss, target: t.baseAddress! + first * columns, rows: rows, to: &total)
                    (destination + first * columns).update(from: workspace.output, count: rows * columns)
                }
            }
        }
        return (total / Double(loss.averagingCount(rows: input.rows, columns: outputCount)), outputs)
    }

    /// The loss on every sample and its gradient with respect to every weight and bias, as a
    /// training step sees them without dropout: `gradients(input:target:loss:)`, computed
    /// `batchRows` rows at a time when `hasBatchedGradients` and the samples fill
    /// at least one batch, else by that reference.
    ///
    /// The batched gradients leave `deltas` empty: δ of every sample is what the reference keeps
    /// for showing the arithmetic (`explain`), and no whole-data statement prints it. With a
    /// `lowestLayer` (0-based) above 0 the batched path stops backpropagating there, as `grad W2`
    /// needs nothing below layer 2, and the gradients of the layers below are zero.
    public func wholeDataGradients(input: Matrix, target: Matrix, loss: Loss, lowestLayer: Int = 0,
                                   batchRows: Int = Network.wholeDataBatchRows) -> NetworkGradients {
        guard hasBatchedGradients, batches(input.rows, batchRows) else { return gradients(input: input, target: target, loss: loss) }
        precondition(target.rows == input.rows && target.columns == outputCount,
                     "targets are \(target.rows)×\(target.columns), network gives \(input.rows)×\(outputCount)")
        precondition(layers.indices.contains(lowestLayer), "no layer \(lowestLayer) in \(layers.count)")
        let whole = Double(loss.averagingCount(rows: input.rows, columns: outputCount))
        var total = 0.0
        var sum: [Double] = []
        // Each row of δ_L times its batch's share of the mean; the last, shorter batch has its own.
        var shares: [Double] = []
        var sharesRows = 0
        target.storage.withUnsafeBufferPointer { t in
            forEachBatch(of: input, batchRows: batchRows) { workspace, first, rows, batchInput in
                if sum.isEmpty {
                    sum = Array(repeating: 0, count: workspace.parameterCount)
                    shares = Array(repeating: 0, count: workspace.maxRows)
                }
                let batchTarget = t.baseAddress! + first * outputCount
                workspace.addUnmaskedLossTerms(loss, target: batchTarget, rows: rows, to: &total)
                if sharesRows != rows {
                    let share = Double(loss.averagingCount(rows: rows, columns: outputCount)) / whole
                    for i in 0..<rows { shares[i] = share }
                    sharesRows = rows
                }
                shares.withUnsafeBufferPointer { w in
                    workspace.backward(batchInput, target: batchTarget, rows: rows, loss: loss, usesMasks: false,
                                       weights: w.baseAddress!, lowestLayer: lowestLayer)
                }
                let gradients = workspace.gradients
                let start = workspace.layers[lowestLayer].weightOffset
                sum.withUnsafeMutableBufferPointer { s in
                    for i in start..<s.count { s[i] += gradients[i] }
                }
            }
        }
        return gradientsFromWorkspaceLayout(sum, loss: total / whole)
    }

    /// `NetworkGradients` from a flat buffer in `TrainingWorkspace`'s layout (each layer's ∂L/∂Wᵀ
    /// then ∂L/∂b), each weight gradient turned back to [units, inputs].
    private func gradientsFromWorkspaceLayout(_ flat: [Double], loss: Double) -> NetworkGradients {
        var weights: [Matrix] = []
        var biases: [[Double]] = []
        var offset = 0
        for layer in layers {
            var gradient = Matrix(rows: layer.units, columns: layer.inputCount)
            let (units, inputs) = (layer.units, layer.inputCount)
            gradient.storage.withUnsafeMutableBufferPointer { g in
                for input in 0..<inputs {
                    for unit in 0..<units { g[unit * inputs + input] = flat[offset + input * units + unit] }
                }
            }
            weights.append(gradient)
            biases.append(Array(flat[(offset + layer.weights.count)..<(offset + layer.weights.count + units)]))
            offset += layer.parameterCount
        }
        let none = Array(repeating: [Double](), count: layers.count)
        return NetworkGradients(weights: weights, biases: biases, deltas: [], loss: loss, gammas: none, betas: none)
    }

    /// Runs every `batchRows` rows of `input` forward (inference: running statistics, no
    /// dropout) through one workspace, then calls `body` with it, the batch's first row, its row
    /// count and its inputs.
    private func forEachBatch(of input: Matrix, batchRows: Int,
                              _ body: (TrainingWorkspace<Double>, Int, Int, UnsafePointer<Double>) -> Void) {
        precondition(input.columns == inputCount, "network expects \(inputCount) inputs, got \(input.columns)")
        precondition(batchRows > 0, "a batch needs at least one row")
        let workspace = TrainingWorkspace<Double>(network: self, maxRows: min(batchRows, input.rows))
        input.storage.withUnsafeBufferPointer { x in
            var first = 0
            while first < input.rows {
                let rows = min(workspace.maxRows, input.rows - first)
                let batch = x.baseAddress! + first * inputCount
                workspace.forward(batch, rows: rows, usesMasks: false)
                body(workspace, first, rows, batch)
                first += rows
            }
        }
    }
}

extension TrainingWorkspace {
    /// The terms of the last forward pass's loss (no dropout mask) added to `total`, as
    /// `Network.loss(of:target:loss:)` adds them: from the output layer's Z where the loss is
    /// exact there, else from its outputs.
    func addUnmaskedLossTerms(_ loss: Loss, target: UnsafePointer<Scalar>, rows: Int, to total: inout Double) {
        let last = layers[layers.count - 1]
        loss.addTerms(after: last.activation, net: last.net, output: last.activated, target: target,
                      rows: rows, columns: last.units, to: &total)
    }
}
