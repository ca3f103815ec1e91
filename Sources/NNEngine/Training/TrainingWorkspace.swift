/// Every buffer one training run needs, made once, in `Double` or `Float`.
///
/// The parameters live in one flat buffer, layer after layer, each layer's weights and then its
/// biases b: [units]. The weights are kept transposed, Wᵀ: [inputs, units] row by row, as
/// numpy's `A @ W` keeps them: then ∂L/∂Wᵀ = Xᵀ δ is the product shape BLAS runs fastest.
/// The gradients and the optimizer's state use the same layout, so one loop updates everything. Per-layer buffers hold `maxRows` rows, the full
/// batch size: a shorter last batch uses their first rows, so no batch shape reallocates.
///
/// The arithmetic of each number comes from the one place it is written, `Activation`, `Loss`
/// and `Optimizer.Rule`; `Network+Backpropagation.swift` and `Optimizer.step` are the readable
/// reference around them, which `Trainer.referenceTrain` runs, and the tests compare the two.
final class TrainingWorkspace<Scalar: TrainingScalar> {
    /// The buffers of one layer, [maxRows, units] each unless said otherwise.
    struct Layer {
        let inputs: Int
        let units: Int
        let activation: Activation
        let dropout: Double
        /// Where Wᵀ and b start in the flat parameter (and gradient, and state) buffers.
        let weightOffset: Int
        let biasOffset: Int
        /// Z.
        let net: UnsafeMutablePointer<Scalar>
        /// φ(Z), or with dropout φ(Z) ⊙ M: what the next layer sees.
        let output: UnsafeMutablePointer<Scalar>
        /// φ(Z) before dropout; the same buffer as `output` without dropout.
        let activated: UnsafeMutablePointer<Scalar>
        /// M, or nil without dropout.
        let mask: UnsafeMutablePointer<Scalar>?
        /// δ = ∂L/∂Z.
        let delta: UnsafeMutablePointer<Scalar>
        /// Batch normalization's buffers, or nil without it; `net` then holds Y = γ x̂ + β.
        let normalization: Normalization?
    }

    /// The buffers of a batch-normalized layer; see `BatchNorm`. γ and β are parameters like
    /// the weights, in the flat buffers after the biases; the running estimates are not.
    struct Normalization {
        /// Z = X Wᵀ + b, before normalization: [maxRows, units].
        let linear: UnsafeMutablePointer<Scalar>
        /// x̂: [maxRows, units].
        let normalized: UnsafeMutablePointer<Scalar>
        /// μ, σ² and 1/√(σ² + ε) of the last pass: [units] each.
        let mean: UnsafeMutablePointer<Scalar>
        let variance: UnsafeMutablePointer<Scalar>
        let inverseDeviation: UnsafeMutablePointer<Scalar>
        /// Where γ and β start in the flat parameter buffers.
        let gammaOffset: Int
        let betaOffset: Int
        /// Where μ_run and σ²_run start in `runningStatistics`.
        let runningMeanOffset: Int
        let runningVarianceOffset: Int
    }

    let layers: [Layer]
    let maxRows: Int
    let inputCount: Int
    let outputCount: Int
    let parameterCount: Int
    let parameters: UnsafeMutablePointer<Scalar>
    let gradients: UnsafeMutablePointer<Scalar>
    /// The parameters at the start of the epoch, for putting them back after a divergence.
    let snapshot: UnsafeMutablePointer<Scalar>
    /// Per parameter, what the optimizer keeps of past gradients: see `Optimizer.Rule.update`.
    let gradientState: UnsafeMutablePointer<Scalar>
    /// Per parameter, adam's moving average of g².
    let squaredGradientAverage: UnsafeMutablePointer<Scalar>
    /// Every batch-normalized layer's μ_run then σ²_run, and their copy at the start of the epoch.
    let runningStatistics: UnsafeMutablePointer<Scalar>
    let runningStatisticsSnapshot: UnsafeMutablePointer<Scalar>
    let runningStatisticsCount: Int
    /// Each layer's `BatchNorm.batchesTracked` when loaded (0 without batch normalization).
    private var loadedBatchesTracked: [Int] = []
    /// Training batches since then, and that count at the start of the epoch.
    private var batchesSinceLoad = 0
    private var batchesSinceLoadSnapshot = 0
    /// Gathered rows of a shuffled batch, made on first use.
    private(set) var gatheredInputs: UnsafeMutablePointer<Scalar>?
    private(set) var gatheredTargets: UnsafeMutablePointer<Scalar>?
    /// Gathered sample weights of a shuffled batch, made on first use.
    private(set) var gatheredWeights: UnsafeMutablePointer<Scalar>?
    /// A batch's inputs after `InputAugmentation`, made on first use.
    var augmentedInputs: UnsafeMutablePointer<Scalar>?

    /// How many buffers this workspace has made: the tests check it stops growing after the first epoch.
    private(set) var buffersCreated = 0
    private var owned: [UnsafeMutablePointer<Scalar>] = []

    /// Whether products and sigmoids go to `ProductKernels` where they have a kernel.
    let usesKernels: Bool

    /// Buffers for `network` and batches of at most `maxRows` rows, holding its parameters.
    /// `usesKernels` is true by default where `ProductKernels` is available.
    init(network: Network, maxRows: Int, usesKernels: Bool? = nil) {
        precondition(maxRows > 0, "a workspace needs room for at least one row")
        self.maxRows = maxRows
        self.usesKernels = usesKernels ?? ProductKernels.isAvailable
        inputCount = network.inputCount
        outputCount = network.outputCount
        parameterCount = network.parameterCount
        var made: [UnsafeMutablePointer<Scalar>] = []
        func buffer(_ count: Int) -> UnsafeMutablePointer<Scalar> {
            let pointer = UnsafeMutablePointer<Scalar>.allocate(capacity: max(count, 1))
            pointer.initialize(repeating: 0, count: max(count, 1))
            made.append(pointer)
            return pointer
        }
        parameters = buffer(parameterCount)
        gradients = buffer(parameterCount)
        snapshot = buffer(parameterCount)
        gradientState = buffer(parameterCount)
        squaredGradientAverage = buffer(parameterCount)
        runningStatisticsCount = network.layers.reduce(0) { $0 + 2 * ($1.batchNorm?.units ?? 0) }
        runningStatistics = buffer(runningStatisticsCount)
        runningStatisticsSnapshot = buffer(runningStatisticsCount)
        var offset = 0
        var runningOffset = 0
        var layers: [Layer] = []
        for layer in network.layers {
            let size = maxRows * layer.units
            let output = buffer(size)
            let hasDropout = layer.dropout > 0
            let biasOffset = offset + layer.weights.count
            var normalization: Normalization?
            if layer.batchNorm != nil {
                normalization = Normalization(linear: buffer(size), normalized: buffer(size), mean: buffer(layer.units),
                                              variance: buffer(layer.units), inverseDeviation: buffer(layer.units),
                                              gammaOffset: biasOffset + layer.units, betaOffset: biasOffset + 2 * layer.units,
                                              runningMeanOffset: runningOffset, runningVarianceOffset: runningOffset + layer.units)
                runningOffset += 2 * layer.units
            }
            layers.append(Layer(inputs: layer.inputCount, units: layer.units, activation: layer.activation,
                                dropout: layer.dropout, weightOffset: offset, biasOffset: biasOffset,
                                net: buffer(size), output: output,
                                activated: hasDropout ? buffer(size) : output,
                                mask: hasDropout ? buffer(size) : nil,
                                delta: buffer(size), normalization: normalization))
            offset += layer.parameterCount
        }
        self.layers = layers
        owned = made
        buffersCreated = made.count
        load(network)
    }

    deinit {
        for pointer in owned { pointer.deallocate() }
    }

    /// A zeroed buffer of `count` elements that lives as long as the workspace.
    func makeBuffer(_ count: Int) -> UnsafeMutablePointer<Scalar> {
        let pointer = UnsafeMutablePointer<Scalar>.allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
        owned.append(pointer)
        buffersCreated += 1
        return pointer
    }

    // MARK: - Parameters in and out

    /// Copies `network`'s weights and biases in.
    func load(_ network: Network) {
        for (layer, values) in zip(layers, network.layers) {
            values.weights.storage.withUnsafeBufferPointer { source in
                for unit in 0..<layer.units {
                    for input in 0..<layer.inputs {
                        parameters[layer.weightOffset + input * layer.units + unit] = Scalar(source[unit * layer.inputs + input])
                    }
                }
            }
            for i in 0..<values.biases.count { parameters[layer.biasOffset + i] = Scalar(values.biases[i]) }
            if let normalization = layer.normalization, let batchNorm = values.batchNorm {
                for i in 0..<layer.units {
                    parameters[normalization.gammaOffset + i] = Scalar(batchNorm.gamma[i])
                    parameters[normalization.betaOffset + i] = Scalar(batchNorm.beta[i])
                    runningStatistics[normalization.runningMeanOffset + i] = Scalar(batchNorm.runningMean[i])
                    runningStatistics[normalization.runningVarianceOffset + i] = Scalar(batchNorm.runningVariance[i])
                }
            }
        }
        loadedBatchesTracked = network.layers.map { $0.batchNorm?.batchesTracked ?? 0 }
        batchesSinceLoad = 0
        batchesSinceLoadSnapshot = 0
    }

    /// Copies the weights and biases out into `network`, which must have the shape this workspace was made for.
    func store(into network: inout Network) {
        for index in network.layers.indices {
            let layer = layers[index]
            network.layers[index].weights.storage.withUnsafeMutableBufferPointer { target in
                for unit in 0..<layer.units {
                    for input in 0..<layer.inputs {
                        target[unit * layer.inputs + input] = Double(parameters[layer.weightOffset + input * layer.units + unit])
                    }
                }
            }
            network.layers[index].biases.withUnsafeMutableBufferPointer { target in
                for i in 0..<target.count { target[i] = Double(parameters[layer.biasOffset + i]) }
            }
            if let normalization = layer.normalization {
                let values = (0..<layer.units)
                network.layers[index].batchNorm = BatchNorm(
                    gamma: values.map { Double(parameters[normalization.gammaOffset + $0]) },
                    beta: values.map { Double(parameters[normalization.betaOffset + $0]) },
                    runningMean: values.map { Double(runningStatistics[normalization.runningMeanOffset + $0]) },
                    runningVariance: values.map { Double(runningStatistics[normalization.runningVarianceOffset + $0]) },
                    batchesTracked: loadedBatchesTracked[index] + batchesSinceLoad)
            }
        }
    }

    func saveSnapshot() {
        snapshot.update(from: parameters, count: parameterCount)
        runningStatisticsSnapshot.update(from: runningStatistics, count: runningStatisticsCount)
        batchesSinceLoadSnapshot = batchesSinceLoad
    }

    func restoreSnapshot() {
        parameters.update(from: snapshot, count: parameterCount)
        runningStatistics.update(from: runningStatisticsSnapshot, count: runningStatisticsCount)
        batchesSinceLoad = batchesSinceLoadSnapshot
    }

    // MARK: - Batches

    /// The rows of `inputs` and `targets` at `indices` copied into the gathering buffers, row after row,
    /// converted to `Scalar` as they are copied: float32 training keeps no float32 copy of the data.
    func gather<Source: TrainingScalar>(_ indices: some Collection<Int>, inputs: UnsafePointer<Source>, targets: UnsafePointer<Source>)
        -> (inputs: UnsafePointer<Scalar>, targets: UnsafePointer<Scalar>) {
        let gatheredInputs = gatheredInputs ?? makeBuffer(maxRows * inputCount)
        let gatheredTargets = gatheredTargets ?? makeBuffer(maxRows * outputCount)
        self.gatheredInputs = gatheredInputs
        self.gatheredTargets = gatheredTargets
        for (row, index) in indices.enumerated() {
            Self.convert(inputs + index * inputCount, into: gatheredInputs + row * inputCount, count: inputCount)
            Self.convert(targets + index * outputCount, into: gatheredTargets + row * outputCount, count: outputCount)
        }
        return (UnsafePointer(gatheredInputs), UnsafePointer(gatheredTargets))
    }

    /// The weights at `indices` copied (and converted) into their gathering buffer, in that order.
    func gather<Source: TrainingScalar>(_ indices: some Collection<Int>, weights: UnsafePointer<Source>) -> UnsafePointer<Scalar> {
        let gatheredWeights = gatheredWeights ?? makeBuffer(maxRows)
        self.gatheredWeights = gatheredWeights
        for (row, index) in indices.enumerated() { gatheredWeights[row] = Scalar(weights[index]) }
        return UnsafePointer(gatheredWeights)
    }

    /// The rows `range` of `inputs` and `targets` (and `weights`) as `Scalar`: where the data is
    /// already in `Scalar`, pointers into it; otherwise converted into the gathering buffers.
    func batch<Source: TrainingScalar>(_ range: Range<Int>, inputs: UnsafePointer<Source>, targets: UnsafePointer<Source>,
                                      weights: UnsafePointer<Source>? = nil)
        -> (inputs: UnsafePointer<Scalar>, targets: UnsafePointer<Scalar>, weights: UnsafePointer<Scalar>?) {
        if Source.self == Scalar.self {
            func same(_ pointer: UnsafePointer<Source>) -> UnsafePointer<Scalar> { UnsafeRawPointer(pointer).assumingMemoryBound(to: Scalar.self) }
            return (same(inputs + range.lowerBound * inputCount), same(targets + range.lowerBound * outputCount),
                    weights.map { same($0 + range.lowerBound) })
        }
        let batch = gather(range, inputs: inputs, targets: targets)
        return (batch.inputs, batch.targets, weights.map { gather(range, weights: $0) })
    }

    /// `count` numbers from `source` into `target`, converted to `Scalar`.
    @inline(__always)
    private static func convert<Source: TrainingScalar>(_ source: UnsafePointer<Source>, into target: UnsafeMutablePointer<Scalar>, count: Int) {
        if Source.self == Scalar.self {
            UnsafeMutableRawPointer(target).copyMemory(from: source, byteCount: count * MemoryLayout<Scalar>.stride)
        } else {
            for i in 0..<count { target[i] = Scalar(source[i]) }
        }
    }

    /// Fresh dropout masks for `rows` rows, drawn as `Network.dropoutMasks` draws them: layer by
    /// layer, row by row, 0 if the draw is below p, else 1/(1 − p).
    func drawMasks(rows: Int, generator: inout SeededGenerator) {
        for layer in layers {
            guard let mask = layer.mask else { continue }
            let kept = Scalar(1 / (1 - layer.dropout))
            for i in 0..<(rows * layer.units) {
                mask[i] = generator.nextDouble() < layer.dropout ? 0 : kept
            }
        }
    }

    // MARK: - Forward

    /// Runs `rows` samples through every layer: X: [rows, inputs] -> each layer's Z and A.
    /// With `batchStatistics` (a training step) batch normalization uses the batch's μ and σ²
    /// and moves the running estimates toward them; without, it uses the running estimates.
    func forward(_ input: UnsafePointer<Scalar>, rows: Int, usesMasks: Bool, batchStatistics: Bool = false) {
        var current = input
        if batchStatistics && runningStatisticsCount > 0 { batchesSinceLoad += 1 }
        // By index, not by iterator: an iterator would hold (retain) the array across the calls.
        for index in layers.indices {
            let layer = layers[index]
            let count = rows * layer.units
            let linear = layer.normalization?.linear ?? layer.net
            // Z = X Wᵀ + b: b copied into every row, then the product added to it.
            for r in 0..<rows {
                (linear + r * layer.units).update(from: parameters + layer.biasOffset, count: layer.units)
            }
            Scalar.product(transposeA: false, transposeB: false, m: rows, n: layer.units, k: layer.inputs,
                           a: current, lda: layer.inputs, b: parameters + layer.weightOffset, ldb: layer.units,
                           beta: 1, c: linear, ldc: layer.units, usesKernels: usesKernels)
            if let normalization = layer.normalization {
                normalize(layer, normalization, rows: rows, batchStatistics: batchStatistics)
            }
            if !(usesKernels && layer.activation == .sigmoid && Scalar.kernelSigmoid(layer.net, into: layer.activated, count: count)) {
                layer.activation.apply(net: layer.net, into: layer.activated, rows: rows, columns: layer.units)
            }
            if usesMasks, let mask = layer.mask {
                for i in 0..<count { layer.output[i] = layer.activated[i] * mask[i] }
            } else if layer.mask != nil {
                layer.output.update(from: layer.activated, count: count)
            }
            current = UnsafePointer(layer.output)
        }
    }

    /// Y = γ x̂ + β into `layer.net` from Z in `normalization.linear`, by `BatchNorm`'s formulas.
    private func normalize(_ layer: Layer, _ normalization: Normalization, rows: Int, batchStatistics: Bool) {
        let runningMean = runningStatistics + normalization.runningMeanOffset
        let runningVariance = runningStatistics + normalization.runningVarianceOffset
        let mean: UnsafePointer<Scalar>, variance: UnsafePointer<Scalar>
        if batchStatistics {
            BatchNorm.statistics(normalization.linear, rows: rows, columns: layer.units,
                                 mean: normalization.mean, variance: normalization.variance)
            BatchNorm.updateRunning(mean: runningMean, variance: runningVariance, batchMean: normalization.mean,
                                    batchVariance: normalization.variance, rows: rows, columns: layer.units)
            (mean, variance) = (UnsafePointer(normalization.mean), UnsafePointer(normalization.variance))
        } else {
            (mean, variance) = (UnsafePointer(runningMean), UnsafePointer(runningVariance))
        }
        BatchNorm.normalize(normalization.linear, rows: rows, columns: layer.units, mean: mean, variance: variance,
                            gamma: parameters + normalization.gammaOffset, beta: parameters + normalization.betaOffset,
                            normalized: normalization.normalized, inverseDeviation: normalization.inverseDeviation,
                            output: layer.net)
    }

    /// The last layer's output: [rows, outputs].
    var output: UnsafeMutablePointer<Scalar> { layers[layers.count - 1].output }

    // MARK: - Loss and accuracy

    /// The loss of the last forward pass's `rows` outputs against `target`, as
    /// `Network.loss(of:target:loss:sampleWeights:)` computes it: from the output layer's Z unless
    /// its outputs were masked (`usesMasks` with dropout there), each sample's terms times its
    /// weight when there are `weights`.
    @inline(__always)
    func lossValue(_ loss: Loss, target: UnsafePointer<Scalar>, rows: Int, usesMasks: Bool,
                   weights: UnsafePointer<Scalar>? = nil) -> Double {
        var total = 0.0
        addLossTerms(loss, target: target, rows: rows, usesMasks: usesMasks, weights: weights, to: &total)
        return total / Double(loss.averagingCount(rows: rows, columns: outputCount))
    }

    /// The terms of the last forward pass's loss added to `total`; see `lossValue`.
    @inline(__always)
    private func addLossTerms(_ loss: Loss, target: UnsafePointer<Scalar>, rows: Int, usesMasks: Bool,
                              weights: UnsafePointer<Scalar>?, to total: inout Double) {
        let last = layers[layers.count - 1]
        if usesMasks && last.mask != nil {
            if let weights {
                loss.addTerms(output: last.output, target: target, weights: weights, rows: rows, columns: last.units, to: &total)
            } else {
                loss.addTerms(output: last.output, target: target, count: rows * last.units, to: &total)
            }
        } else {
            loss.addTerms(after: last.activation, net: last.net, output: last.activated, target: target,
                          weights: weights, rows: rows, columns: last.units, to: &total)
        }
    }

    /// The loss of the current parameters on `sampleCount` samples, without dropout, and the
    /// number classified right if `countsCorrect`: `Network.loss` and `Metrics.correctCount`
    /// on the whole data, computed `maxRows` rows at a time in these buffers.
    /// Data in another type than `Scalar` (float64 data in float32 training) is converted
    /// `maxRows` rows at a time as it goes.
    func measure<Source: TrainingScalar>(inputs: UnsafePointer<Source>, targets: UnsafePointer<Source>, sampleCount: Int,
                                         loss: Loss, countsCorrect: Bool, weights: UnsafePointer<Source>? = nil) -> (loss: Double, correct: Int) {
        var total = 0.0
        var correct = 0
        var first = 0
        while first < sampleCount {
            let rows = min(maxRows, sampleCount - first)
            let chunk = batch(first..<(first + rows), inputs: inputs, targets: targets, weights: weights)
            forward(chunk.inputs, rows: rows, usesMasks: false)
            addLossTerms(loss, target: chunk.targets, rows: rows, usesMasks: false, weights: chunk.weights, to: &total)
            if countsCorrect { correct += correctCount(target: chunk.targets, rows: rows) }
            first += rows
        }
        return (total / Double(loss.averagingCount(rows: sampleCount, columns: outputCount)), correct)
    }

    /// The rows of the last forward pass whose predicted class is their true class, as `Metrics.correctCount` counts.
    func correctCount(target: UnsafePointer<Scalar>, rows: Int) -> Int {
        let output = UnsafePointer(self.output)
        var correct = 0
        for r in 0..<rows {
            let predicted = UnsafeBufferPointer(start: output + r * outputCount, count: outputCount)
            let actual = UnsafeBufferPointer(start: target + r * outputCount, count: outputCount)
            if Metrics.classIndex(of: predicted) == Metrics.classIndex(of: actual) { correct += 1 }
        }
        return correct
    }

    // MARK: - Backward

    /// Every parameter's gradient for the last forward pass, into `gradients`:
    /// X: [rows, inputs], T: [rows, outputs]. See `Network.gradients(of:target:loss:)`.
    ///
    /// With a `descentRate` η it takes plain gradient descent's step as it goes instead,
    /// θ ← θ − η ∂L/∂θ (`Optimizer.Rule.descend`), folding the weight update into the product
    /// (Wᵀ ← Wᵀ − η Xᵀ δ, the product's alpha −η and beta 1) so the weight gradients are never
    /// stored; each layer's Wᵀ changes only after δ below used it.
    ///
    /// With `weights` (one per row) each row of δ_L is multiplied by its sample's weight, the
    /// gradient of the weighted loss.
    ///
    /// With a `lowestLayer` above 0 backpropagation stops there (`grad W2` needs nothing below
    /// layer 2): the gradients of the layers below are left as they were.
    func backward(_ input: UnsafePointer<Scalar>, target: UnsafePointer<Scalar>, rows: Int, loss: Loss,
                  usesMasks: Bool, descentRate: Scalar? = nil, weights: UnsafePointer<Scalar>? = nil,
                  lowestLayer: Int = 0) {
        outputDelta(loss: loss, target: target, rows: rows, usesMasks: usesMasks)
        if let weights {
            let last = layers[layers.count - 1]
            Loss.weighRows(last.delta, by: weights, rows: rows, columns: last.units)
        }
        for index in layers.indices.reversed() where index >= lowestLayer {
            let layer = layers[index]
            let layerInput = index == 0 ? input : UnsafePointer(layers[index - 1].output)
            let weights = parameters + layer.weightOffset
            if let normalization = layer.normalization {
                // δ so far is ∂L/∂Y; back through the normalization (batch statistics) to ∂L/∂Z.
                BatchNorm.backward(layer.delta, normalized: normalization.normalized,
                                   inverseDeviation: normalization.inverseDeviation,
                                   gamma: parameters + normalization.gammaOffset, rows: rows, columns: layer.units,
                                   batchStatistics: true, gammaGradient: gradients + normalization.gammaOffset,
                                   betaGradient: gradients + normalization.betaOffset)
            }
            if index > lowestLayer {
                // δ below = (δ W) ⊙ M through the activation below: δ Wᵀᵀ, [rows, inputs].
                let below = layers[index - 1]
                Scalar.product(transposeA: false, transposeB: true, m: rows, n: layer.inputs, k: layer.units,
                               a: layer.delta, lda: layer.units, b: weights, ldb: layer.units,
                               c: below.delta, ldc: below.units, usesKernels: usesKernels)
                if usesMasks, let mask = below.mask {
                    for i in 0..<(rows * below.units) { below.delta[i] *= mask[i] }
                }
                below.activation.backward(net: below.net, output: below.activated, gradient: below.delta,
                                          rows: rows, columns: below.units)
            }
            // ∂L/∂b = δ summed over the batch.
            let biasGradient = gradients + layer.biasOffset
            biasGradient.update(repeating: 0, count: layer.units)
            for r in 0..<rows {
                let row = layer.delta + r * layer.units
                for c in 0..<layer.units { biasGradient[c] += row[c] }
            }
            // ∂L/∂Wᵀ = Xᵀ δ: [inputs, units].
            if let rate = descentRate {
                Scalar.product(transposeA: true, transposeB: false, m: layer.inputs, n: layer.units, k: rows,
                               alpha: -rate, a: layerInput, lda: layer.inputs, b: layer.delta, ldb: layer.units,
                               beta: 1, c: weights, ldc: layer.units, usesKernels: usesKernels)
                let biases = parameters + layer.biasOffset
                for c in 0..<layer.units {
                    biases[c] = Optimizer.Rule<Scalar>.descend(biases[c], direction: biasGradient[c], learningRate: rate)
                }
                if let normalization = layer.normalization {
                    for i in 0..<(2 * layer.units) {
                        let offset = normalization.gammaOffset + i
                        parameters[offset] = Optimizer.Rule<Scalar>.descend(parameters[offset], direction: gradients[offset],
                                                                            learningRate: rate)
                    }
                }
            } else {
                Scalar.product(transposeA: true, transposeB: false, m: layer.inputs, n: layer.units, k: rows,
                               a: layerInput, lda: layer.inputs, b: layer.delta, ldb: layer.units,
                               c: gradients + layer.weightOffset, ldc: layer.units, usesKernels: usesKernels)
            }
        }
    }

    /// δ_L = ∂L/∂Z of the output layer, into its `delta`; see `Network.outputDelta(of:target:loss:)`.
    private func outputDelta(loss: Loss, target: UnsafePointer<Scalar>, rows: Int, usesMasks: Bool) {
        let last = layers[layers.count - 1]
        let masked = usesMasks && last.mask != nil
        if !masked && loss.closedFormDelta(activation: last.activation, output: last.output, target: target,
                                           into: last.delta, rows: rows, columns: last.units) {
            return
        }
        // The general route: ∂L/∂A (times the mask), then back through the activation.
        loss.gradient(output: last.output, target: target, into: last.delta, rows: rows, columns: last.units)
        if masked, let mask = last.mask {
            for i in 0..<(rows * last.units) { last.delta[i] *= mask[i] }
        }
        last.activation.backward(net: last.net, output: last.activated, gradient: last.delta, rows: rows, columns: last.units)
    }

    // MARK: - Optimizer step

    /// One update of every parameter and the optimizer's state by `rule`, in place, as `Optimizer.step` computes it.
    ///
    /// False if any new parameter or state value is not finite; the values are then partly
    /// updated, and the caller puts back the snapshot.
    func step(_ rule: Optimizer.Rule<Scalar>) -> Bool {
        let theta = parameters, gradient = gradients, state = gradientState, squares = squaredGradientAverage
        // x · 0 is 0 for every finite x and NaN otherwise, so one sum checks a whole loop.
        var check: Scalar = 0
        for i in 0..<parameterCount {
            let value = rule.update(theta[i], gradient: gradient[i], state: &state[i], squaredAverage: &squares[i])
            theta[i] = value
            check += value * 0 + state[i] * 0 + squares[i] * 0
        }
        return check == 0
    }

    /// Whether every parameter is finite.
    var parametersAreFinite: Bool {
        var check: Scalar = 0
        for i in 0..<parameterCount { check += parameters[i] * 0 }
        return check == 0
    }
}
