/// Every buffer one training run needs, made once, in `Double` or `Float`.
///
/// The parameters live in one flat buffer, layer after layer, each layer's weights and then its
/// biases b: [units]. The weights are kept transposed, Wᵀ: [inputs, units] row by row, as
/// numpy's `A @ W` keeps them: then ∂L/∂Wᵀ = Xᵀ δ is the product shape BLAS runs fastest.
/// The gradients and the optimizer's state use the same layout, so one loop updates everything. Per-layer buffers hold `maxRows` rows, the full
/// batch size: a shorter last batch uses their first rows, so no batch shape reallocates.
///
/// `Network+Backpropagation.swift`, `Optimizer.swift` and `Activation`/`Loss` are the readable
/// reference; `Trainer.referenceTrain` runs them, and the tests compare the two.
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
    /// The optimizer's state: momentum buffer, adagrad's sum, rmsprop's v or adam's m; adam's v.
    let first: UnsafeMutablePointer<Scalar>
    let second: UnsafeMutablePointer<Scalar>
    /// Gathered rows of a shuffled batch, made on first use.
    private(set) var gatheredInputs: UnsafeMutablePointer<Scalar>?
    private(set) var gatheredTargets: UnsafeMutablePointer<Scalar>?
    /// ∂L/∂A of the output layer, for the general output-delta route; made on first use.
    private var outputGradient: UnsafeMutablePointer<Scalar>?

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
        first = buffer(parameterCount)
        second = buffer(parameterCount)
        var offset = 0
        var layers: [Layer] = []
        for layer in network.layers {
            let size = maxRows * layer.units
            let output = buffer(size)
            let hasDropout = layer.dropout > 0
            layers.append(Layer(inputs: layer.inputCount, units: layer.units, activation: layer.activation,
                                dropout: layer.dropout, weightOffset: offset, biasOffset: offset + layer.weights.count,
                                net: buffer(size), output: output,
                                activated: hasDropout ? buffer(size) : output,
                                mask: hasDropout ? buffer(size) : nil,
                                delta: buffer(size)))
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
    private func makeBuffer(_ count: Int) -> UnsafeMutablePointer<Scalar> {
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
        }
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
        }
    }

    func saveSnapshot() {
        snapshot.update(from: parameters, count: parameterCount)
    }

    func restoreSnapshot() {
        parameters.update(from: snapshot, count: parameterCount)
    }

    // MARK: - Batches

    /// The rows of `inputs` and `targets` at `indices` copied into the gathering buffers, row after row.
    func gather(_ indices: ArraySlice<Int>, inputs: UnsafePointer<Scalar>, targets: UnsafePointer<Scalar>)
        -> (inputs: UnsafePointer<Scalar>, targets: UnsafePointer<Scalar>) {
        let gatheredInputs = gatheredInputs ?? makeBuffer(maxRows * inputCount)
        let gatheredTargets = gatheredTargets ?? makeBuffer(maxRows * outputCount)
        self.gatheredInputs = gatheredInputs
        self.gatheredTargets = gatheredTargets
        for (row, index) in indices.enumerated() {
            (gatheredInputs + row * inputCount).update(from: inputs + index * inputCount, count: inputCount)
            (gatheredTargets + row * outputCount).update(from: targets + index * outputCount, count: outputCount)
        }
        return (UnsafePointer(gatheredInputs), UnsafePointer(gatheredTargets))
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
    func forward(_ input: UnsafePointer<Scalar>, rows: Int, usesMasks: Bool) {
        var current = input
        for layer in layers {
            let count = rows * layer.units
            // Z = X Wᵀ + b: b copied into every row, then the product added to it.
            for r in 0..<rows {
                (layer.net + r * layer.units).update(from: parameters + layer.biasOffset, count: layer.units)
            }
            Scalar.product(transposeA: false, transposeB: false, m: rows, n: layer.units, k: layer.inputs,
                           a: current, lda: layer.inputs, b: parameters + layer.weightOffset, ldb: layer.units,
                           beta: 1, c: layer.net, ldc: layer.units, usesKernels: usesKernels)
            Self.activate(layer.activation, net: layer.net, into: layer.activated, rows: rows, columns: layer.units,
                          usesKernels: usesKernels)
            if usesMasks, let mask = layer.mask {
                for i in 0..<count { layer.output[i] = layer.activated[i] * mask[i] }
            } else if layer.mask != nil {
                layer.output.update(from: layer.activated, count: count)
            }
            current = UnsafePointer(layer.output)
        }
    }

    /// The last layer's output: [rows, outputs].
    var output: UnsafeMutablePointer<Scalar> { layers[layers.count - 1].output }

    // MARK: - Loss and accuracy

    /// The loss of the last forward pass's `rows` outputs against `target`, as `Loss.value` computes it.
    func lossValue(_ loss: Loss, target: UnsafePointer<Scalar>, rows: Int) -> Double {
        var total = 0.0
        addLossTerms(loss, target: target, rows: rows, to: &total)
        return total / Self.lossDivisor(loss, rows: rows, columns: outputCount)
    }

    /// Adds each output's loss term to `total`, row after row, before any averaging.
    func addLossTerms(_ loss: Loss, target: UnsafePointer<Scalar>, rows: Int, to total: inout Double) {
        let count = rows * outputCount
        let output = self.output
        switch loss {
        case .crossEntropy:
            for i in 0..<count where target[i] != 0 {  // a zero target adds −0 · log p = 0
                total += Double(-target[i] * Scalar.logarithm(Self.clampProbability(output[i])))
            }
        default:
            for i in 0..<count { total += Double(Self.lossTerm(loss, output: output[i], target: target[i])) }
        }
    }

    /// What `Loss.value` divides the sum of terms by: the samples, or the samples times the outputs.
    static func lossDivisor(_ loss: Loss, rows: Int, columns: Int) -> Double {
        switch loss {
        case .sse, .crossEntropy: Double(rows)
        case .mse, .binaryCrossEntropy, .huber, .pseudoHuber: Double(rows * columns)
        }
    }

    /// The loss of the current parameters on `sampleCount` samples, without dropout, and the
    /// number classified right if `countsCorrect`: `Network.loss` and `Metrics.correctCount`
    /// on the whole data, computed `maxRows` rows at a time in these buffers.
    func evaluate(inputs: UnsafePointer<Scalar>, targets: UnsafePointer<Scalar>, sampleCount: Int,
                  loss: Loss, countsCorrect: Bool) -> (loss: Double, correct: Int) {
        var total = 0.0
        var correct = 0
        var first = 0
        while first < sampleCount {
            let rows = min(maxRows, sampleCount - first)
            forward(inputs + first * inputCount, rows: rows, usesMasks: false)
            addLossTerms(loss, target: targets + first * outputCount, rows: rows, to: &total)
            if countsCorrect { correct += correctCount(target: targets + first * outputCount, rows: rows) }
            first += rows
        }
        return (total / Self.lossDivisor(loss, rows: sampleCount, columns: outputCount), correct)
    }

    /// The rows of the last forward pass whose predicted class is their true class, as `Metrics.correctCount` counts.
    func correctCount(target: UnsafePointer<Scalar>, rows: Int) -> Int {
        let output = self.output
        var correct = 0
        for r in 0..<rows where Self.classOfRow(output + r * outputCount, columns: outputCount)
            == Self.classOfRow(target + r * outputCount, columns: outputCount) {
            correct += 1
        }
        return correct
    }

    private static func classOfRow(_ row: UnsafePointer<Scalar>, columns: Int) -> Int {
        if columns == 1 { return row[0] > Scalar(Metrics.threshold) ? 1 : 0 }
        var best = 0
        for column in 1..<columns where row[column] > row[best] { best = column }
        return best
    }

    // MARK: - Backward

    /// Every parameter's gradient for the last forward pass, into `gradients`:
    /// X: [rows, inputs], T: [rows, outputs]. See `Network.gradients(of:target:loss:)`.
    ///
    /// With a `descentRate` η it takes plain gradient descent's step as it goes instead,
    /// θ ← θ − η ∂L/∂θ, folding the weight update into the product (Wᵀ ← Wᵀ − η Xᵀ δ) so the
    /// weight gradients are never stored; each layer's Wᵀ changes only after δ below used it.
    func backward(_ input: UnsafePointer<Scalar>, target: UnsafePointer<Scalar>, rows: Int, loss: Loss,
                  usesMasks: Bool, descentRate: Scalar? = nil) {
        outputDelta(loss: loss, target: target, rows: rows, usesMasks: usesMasks)
        for index in layers.indices.reversed() {
            let layer = layers[index]
            let layerInput = index == 0 ? input : UnsafePointer(layers[index - 1].output)
            let weights = parameters + layer.weightOffset
            if index > 0 {
                // δ below = (δ W) ⊙ M through the activation below: δ Wᵀᵀ, [rows, inputs].
                let below = layers[index - 1]
                Scalar.product(transposeA: false, transposeB: true, m: rows, n: layer.inputs, k: layer.units,
                               a: layer.delta, lda: layer.units, b: weights, ldb: layer.units,
                               c: below.delta, ldc: below.units, usesKernels: usesKernels)
                if usesMasks, let mask = below.mask {
                    for i in 0..<(rows * below.units) { below.delta[i] *= mask[i] }
                }
                Self.backActivate(below.activation, net: below.net, output: below.activated,
                                  gradient: below.delta, rows: rows, columns: below.units)
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
                for c in 0..<layer.units { biases[c] = biases[c] - rate * biasGradient[c] }
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
        let columns = last.units
        let count = rows * columns
        let output = last.output
        let delta = last.delta
        let masked = usesMasks && last.mask != nil
        switch (last.activation, loss) {
        case (.softmax, .crossEntropy) where !masked:
            let n = Scalar(rows)
            for r in 0..<rows {
                let row = r * columns
                var targetSum: Scalar = 0
                for c in 0..<columns { targetSum += target[row + c] }
                for c in 0..<columns {
                    delta[row + c] = (output[row + c] * targetSum - target[row + c]) / n
                }
            }
        case (.sigmoid, .binaryCrossEntropy) where !masked:
            let nk = Scalar(count)
            for i in 0..<count { delta[i] = (output[i] - target[i]) / nk }
        default:
            let gradient = outputGradient ?? makeBuffer(maxRows * outputCount)
            outputGradient = gradient
            let scale: Scalar
            switch loss {
            case .sse, .crossEntropy: scale = 1 / Scalar(rows)
            case .mse, .binaryCrossEntropy, .huber, .pseudoHuber: scale = 1 / Scalar(count)
            }
            for i in 0..<count { gradient[i] = Self.lossTermDerivative(loss, output: output[i], target: target[i]) * scale }
            if masked, let mask = last.mask {
                for i in 0..<count { gradient[i] *= mask[i] }
            }
            delta.update(from: gradient, count: count)
            Self.backActivate(last.activation, net: last.net, output: last.activated,
                              gradient: delta, rows: rows, columns: columns)
        }
    }

    // MARK: - Optimizer step

    /// One update of every parameter and the optimizer's state, in place, as `Optimizer.step` computes it.
    ///
    /// False if any new parameter or state value is not finite; the values are then partly
    /// updated, and the caller puts back the snapshot.
    func step(_ rule: Optimizer.Rule) -> Bool {
        let s = rule.settings
        let rate = Scalar(rule.learningRate)
        let weightDecay = Scalar(s.weightDecay)
        let l1 = Scalar(s.l1)
        let count = parameterCount
        let theta = parameters, gradient = gradients, m = first, v = second
        // x · 0 is 0 for every finite x and NaN otherwise, so one sum checks a whole loop.
        var check: Scalar = 0
        if s.kind == .sgd && s.weightDecay == 0 && s.l1 == 0 {
            for i in 0..<count {
                let value = theta[i] - rate * gradient[i]
                theta[i] = value
                check += value * 0
            }
            return check == 0
        }
        let momentum = Scalar(s.momentum), alpha = Scalar(s.alpha), epsilon = Scalar(s.epsilon)
        let beta1 = Scalar(s.beta1), beta2 = Scalar(s.beta2)
        let firstCorrection = Scalar(rule.firstCorrection), secondCorrectionRoot = Scalar(rule.secondCorrectionRoot)
        for i in 0..<count {
            var g = gradient[i]
            if weightDecay != 0 { g += weightDecay * theta[i] }
            if l1 != 0 { g += l1 * (theta[i] > 0 ? 1 : (theta[i] < 0 ? -1 : 0)) }
            var firstValue = m[i]
            var secondValue = v[i]
            let step: Scalar
            switch s.kind {
            case .sgd:
                step = g
            case .momentum:
                firstValue = momentum * firstValue + g
                step = firstValue
            case .nesterov:
                firstValue = momentum * firstValue + g
                step = g + momentum * firstValue
            case .adagrad:
                firstValue += g * g
                step = g / (firstValue.squareRoot() + epsilon)
            case .rmsprop:
                firstValue = alpha * firstValue + (1 - alpha) * g * g
                step = g / (firstValue.squareRoot() + epsilon)
            case .adam:
                firstValue = beta1 * firstValue + (1 - beta1) * g
                secondValue = beta2 * secondValue + (1 - beta2) * g * g
                step = firstValue / firstCorrection / (secondValue.squareRoot() / secondCorrectionRoot + epsilon)
            }
            let value = theta[i] - rate * step
            theta[i] = value
            m[i] = firstValue
            v[i] = secondValue
            check += value * 0 + firstValue * 0 + secondValue * 0
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

// MARK: - Activations and losses in Scalar

extension TrainingWorkspace {
    /// A = φ(Z) for `rows` rows of `columns`; softmax works on each row. See `Activation.apply`.
    /// `usesKernels` lets a vector kernel compute sigmoid where `Scalar` has one.
    static func activate(_ activation: Activation, net z: UnsafePointer<Scalar>, into a: UnsafeMutablePointer<Scalar>,
                         rows: Int, columns: Int, usesKernels: Bool = false) {
        let count = rows * columns
        switch activation {
        case .sigmoid:
            if usesKernels && Scalar.kernelSigmoid(z, into: a, count: count) { return }
            for i in 0..<count { a[i] = sigmoid(z[i]) }
        case .tanh:
            for i in 0..<count { a[i] = Scalar.hyperbolicTangent(z[i]) }
        case .relu:
            for i in 0..<count { a[i] = z[i] > 0 ? z[i] : 0 }
        case .linear:
            a.update(from: z, count: count)
        case .softmax:
            for r in 0..<rows {
                let row = r * columns
                // Subtracting the row's maximum leaves softmax unchanged and keeps exp ≤ 1.
                var maximum = -Scalar.infinity
                for c in 0..<columns { maximum = max(maximum, z[row + c]) }
                var total: Scalar = 0
                for c in 0..<columns {
                    let e = Scalar.exponential(z[row + c] - maximum)
                    a[row + c] = e
                    total += e
                }
                for c in 0..<columns { a[row + c] /= total }
            }
        default:
            for i in 0..<count { a[i] = value(activation, z[i]) }
        }
    }

    /// φ(z) for one number, as `Activation.value`.
    private static func value(_ activation: Activation, _ z: Scalar) -> Scalar {
        switch activation {
        case .linear: z
        case .step: z < 0 ? 0 : (z == 0 ? 0.5 : 1)
        case .sign: z < 0 ? -1 : (z == 0 ? 0 : 1)
        case .piecewiseLinear: z <= -0.5 ? 0 : (z >= 0.5 ? 1 : z + 0.5)
        case .sigmoid: sigmoid(z)
        case .tanh: Scalar.hyperbolicTangent(z)
        case .relu: z > 0 ? z : 0
        case .leakyRelu(let alpha): z > 0 ? z : Scalar(alpha) * z
        case .elu(let alpha): z > 0 ? z : Scalar(alpha) * Scalar.exponentialMinusOne(z)
        case .softplus: max(z, 0) + Scalar.logarithmOnePlus(Scalar.exponential(-abs(z)))
        case .softmax: 1
        }
    }

    /// dZ = dA ⊙ φ'(Z) in place of `gradient`, or softmax's Jacobian-vector product per row.
    /// See `Activation.backward`.
    static func backActivate(_ activation: Activation, net z: UnsafePointer<Scalar>, output a: UnsafePointer<Scalar>,
                             gradient g: UnsafeMutablePointer<Scalar>, rows: Int, columns: Int) {
        let count = rows * columns
        switch activation {
        case .sigmoid:
            for i in 0..<count { g[i] *= a[i] * (1 - a[i]) }
        case .tanh:
            for i in 0..<count { g[i] *= 1 - a[i] * a[i] }
        case .relu:
            for i in 0..<count { g[i] *= z[i] > 0 ? 1 : 0 }
        case .linear:
            break
        case .softmax:
            for r in 0..<rows {
                let row = r * columns
                var weighted: Scalar = 0
                for c in 0..<columns { weighted += a[row + c] * g[row + c] }
                for c in 0..<columns { g[row + c] = a[row + c] * (g[row + c] - weighted) }
            }
        default:
            for i in 0..<count { g[i] *= derivative(activation, net: z[i], output: a[i]) }
        }
    }

    /// φ'(z), in terms of a = φ(z) where that is cheaper, as `Activation.derivative(net:output:)`.
    private static func derivative(_ activation: Activation, net z: Scalar, output a: Scalar) -> Scalar {
        switch activation {
        case .linear: 1
        case .step, .sign, .softmax: 0
        case .piecewiseLinear: (z > -0.5 && z < 0.5) ? 1 : 0
        case .sigmoid: a * (1 - a)
        case .tanh: 1 - a * a
        case .relu: z > 0 ? 1 : 0
        case .leakyRelu(let alpha): z > 0 ? 1 : Scalar(alpha)
        case .elu(let alpha): z > 0 ? 1 : a + Scalar(alpha)
        case .softplus: sigmoid(z)
        }
    }

    /// The logistic function as `Activation.sigmoid` evaluates it, so that `exp` never overflows.
    @inline(__always)
    private static func sigmoid(_ z: Scalar) -> Scalar {
        if z >= 0 { return 1 / (1 + Scalar.exponential(-z)) }
        let e = Scalar.exponential(z)
        return e / (1 + e)
    }

    /// How close to 0 or 1 a probability may come: `Loss.probabilityEpsilon`, or for `Float`
    /// its ulp of one, so that 1 − ε stays below 1.
    static var probabilityEpsilon: Scalar {
        Scalar(max(Loss.probabilityEpsilon, Double(Scalar.ulpOfOne)))
    }

    static func clampProbability(_ p: Scalar) -> Scalar {
        min(max(p, probabilityEpsilon), 1 - probabilityEpsilon)
    }

    /// One output's contribution to the loss before averaging, as `Loss.term`.
    static func lossTerm(_ loss: Loss, output o: Scalar, target t: Scalar) -> Scalar {
        switch loss {
        case .sse:
            return 0.5 * (t - o) * (t - o)
        case .mse:
            return (t - o) * (t - o)
        case .crossEntropy:
            return -t * Scalar.logarithm(clampProbability(o))
        case .binaryCrossEntropy:
            let p = clampProbability(o)
            return -(t * Scalar.logarithm(p) + (1 - t) * Scalar.logarithm(1 - p))
        case .huber(let delta):
            let r = o - t, d = Scalar(delta)
            return abs(r) <= d ? 0.5 * r * r : d * (abs(r) - 0.5 * d)
        case .pseudoHuber(let delta):
            let r = o - t, d = Scalar(delta)
            return d * d * ((1 + (r / d) * (r / d)).squareRoot() - 1)
        }
    }

    /// The derivative of `lossTerm` with respect to the output, as `Loss.termDerivative`.
    static func lossTermDerivative(_ loss: Loss, output o: Scalar, target t: Scalar) -> Scalar {
        switch loss {
        case .sse:
            return o - t
        case .mse:
            return 2 * (o - t)
        case .crossEntropy:
            return -t / clampProbability(o)
        case .binaryCrossEntropy:
            let p = clampProbability(o)
            return -t / p + (1 - t) / (1 - p)
        case .huber(let delta):
            let r = o - t, d = Scalar(delta)
            return abs(r) <= d ? r : (r > 0 ? d : -d)
        case .pseudoHuber(let delta):
            let r = o - t, d = Scalar(delta)
            return r / (1 + (r / d) * (r / d)).squareRoot()
        }
    }
}
