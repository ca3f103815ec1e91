/// The update rules an `Optimizer` can follow, named as the language names them.
public enum OptimizerKind: String, CaseIterable, Equatable, Sendable {
    /// `torch.optim.SGD` without momentum: θ ← θ − η g.
    case sgd
    /// `torch.optim.SGD(momentum=μ, dampening=0)`: b ← μb + g (b₁ = g), θ ← θ − η b.
    case momentum
    /// `torch.optim.SGD(momentum=μ, dampening=0, nesterov=True)`: b as for momentum, θ ← θ − η (g + μb).
    case nesterov
    /// `torch.optim.Adagrad` (lr_decay 0, initial_accumulator_value 0): s ← s + g², θ ← θ − η g/(√s + ε).
    case adagrad
    /// `torch.optim.RMSprop` (centered=False, momentum 0): v ← αv + (1 − α)g², θ ← θ − η g/(√v + ε).
    case rmsprop
    /// `torch.optim.Adam` (amsgrad=False): m, v moving averages of g and g², bias-corrected.
    case adam
}

/// The constants of an optimizer, each defaulting to PyTorch's `torch.optim` default.
///
/// Every field exists for every kind; a kind ignores the ones its rule does not use.
public struct OptimizerSettings: Equatable, Sendable {
    public var kind: OptimizerKind
    /// μ of momentum and nesterov: 0.9 (PyTorch's SGD has no default; 0.9 is the usual choice).
    public var momentum: Double
    /// β₁ of adam: 0.9.
    public var beta1: Double
    /// β₂ of adam: 0.999.
    public var beta2: Double
    /// ε added to the root in the denominator: 1e-8 for adam and rmsprop, 1e-10 for adagrad.
    public var epsilon: Double
    /// α, the smoothing constant of rmsprop: 0.99.
    public var alpha: Double
    /// λ of L2 regularization as PyTorch's `weight_decay`: g ← g + λθ for every weight and bias. 0.
    public var weightDecay: Double
    /// λ₁ of L1 regularization: g ← g + λ₁ sign(θ) for every weight and bias, sign(0) = 0. 0.
    public var l1: Double

    /// The settings for `kind` with PyTorch's defaults.
    public init(kind: OptimizerKind = .sgd) {
        self.kind = kind
        momentum = 0.9
        beta1 = 0.9
        beta2 = 0.999
        epsilon = kind == .adagrad ? 1e-10 : 1e-8
        alpha = 0.99
        weightDecay = 0
        l1 = 0
    }

    /// The settings for `kind` with PyTorch's defaults; the same as `init(kind:)`.
    public static func defaults(for kind: OptimizerKind) -> OptimizerSettings {
        OptimizerSettings(kind: kind)
    }

    /// Whether every constant is finite and in the range its rule needs:
    /// μ, λ, λ₁, ε ≥ 0, β₁, β₂, α in [0, 1).
    public var isValid: Bool {
        let values = [momentum, beta1, beta2, epsilon, alpha, weightDecay, l1]
        return values.allSatisfy { $0.isFinite && $0 >= 0 } && beta1 < 1 && beta2 < 1 && alpha < 1
    }
}

/// A gradient-based optimizer with the per-parameter state its rule keeps between steps.
///
/// The state (momentum buffer, sum or moving averages of squared gradients) is allocated
/// once, zero, shaped like the network it was made for. A step computes the new
/// parameters and state into scratch buffers and swaps them in only if every value is
/// finite, so a step allocates nothing and a diverging step changes nothing.
public struct Optimizer: Sendable {
    public let settings: OptimizerSettings
    /// The number of steps taken: t of adam's bias correction.
    public private(set) var stepCount = 0
    /// β₁ᵗ and β₂ᵗ for t = `stepCount`, kept as running products so a step costs the same at any t.
    private var beta1Power = 1.0
    private var beta2Power = 1.0

    /// The first state value per parameter: the momentum buffer b, adagrad's sum s,
    /// rmsprop's v, or adam's m.
    private var first: [Parameters]
    /// adam's v.
    private var second: [Parameters]
    /// Where a step writes before it knows the step is finite.
    private var scratch: Parameters.Scratch

    /// An optimizer for `network`'s shape with all state zero.
    public init(settings: OptimizerSettings, for network: Network) {
        self.settings = settings
        let zero = network.layers.map { Parameters(weights: Array(repeating: 0, count: $0.weights.count),
                                                  biases: Array(repeating: 0, count: $0.biases.count)) }
        first = zero
        second = zero
        scratch = Parameters.Scratch(parameters: zero, first: zero, second: zero)
    }

    /// One update with learning rate `learningRate`, all or nothing.
    ///
    /// If any new parameter or state value, or `gradients.loss`, would be non-finite,
    /// nothing changes (the state included) and the result is false.
    public mutating func step(_ network: inout Network, gradients: NetworkGradients, learningRate: Double) -> Bool {
        precondition(gradients.weights.count == network.layers.count && gradients.biases.count == network.layers.count
                     && first.count == network.layers.count,
                     "gradients for \(gradients.weights.count) layers, optimizer for \(first.count), network has \(network.layers.count)")
        guard gradients.loss.isFinite else { return false }
        let rule = Rule(settings: settings, learningRate: learningRate,
                        beta1Power: beta1Power * settings.beta1, beta2Power: beta2Power * settings.beta2)
        for index in network.layers.indices {
            let layer = network.layers[index]
            precondition(gradients.weights[index].count == layer.weights.count && gradients.biases[index].count == layer.biases.count
                         && first[index].weights.count == layer.weights.count && first[index].biases.count == layer.biases.count,
                         "gradient or state shapes differ from layer \(index + 1)")
            guard rule.update(parameters: layer.weights.storage, gradients: gradients.weights[index].storage,
                              first: first[index].weights, second: second[index].weights,
                              newParameters: &scratch.parameters[index].weights,
                              newFirst: &scratch.first[index].weights, newSecond: &scratch.second[index].weights),
                  rule.update(parameters: layer.biases, gradients: gradients.biases[index],
                              first: first[index].biases, second: second[index].biases,
                              newParameters: &scratch.parameters[index].biases,
                              newFirst: &scratch.first[index].biases, newSecond: &scratch.second[index].biases)
            else { return false }
        }
        // Every value is finite: swap the new values in; the old ones become next step's scratch.
        for index in network.layers.indices {
            swap(&network.layers[index].weights.storage, &scratch.parameters[index].weights)
            swap(&network.layers[index].biases, &scratch.parameters[index].biases)
        }
        swap(&first, &scratch.first)
        swap(&second, &scratch.second)
        stepCount += 1
        beta1Power *= settings.beta1
        beta2Power *= settings.beta2
        return true
    }
}

extension Optimizer {
    /// The values kept for each parameter of one layer, weights row by row then biases.
    struct Parameters: Sendable {
        var weights: [Double]
        var biases: [Double]

        /// Buffers a step writes into.
        struct Scratch: Sendable {
            var parameters: [Parameters]
            var first: [Parameters]
            var second: [Parameters]
        }
    }

    /// One step's update rule with its constants worked out.
    struct Rule {
        var settings: OptimizerSettings
        var learningRate: Double
        /// 1 − β₁ᵗ and √(1 − β₂ᵗ), adam's bias corrections at step t.
        var firstCorrection: Double
        var secondCorrectionRoot: Double

        /// The rule at step t, given β₁ᵗ and β₂ᵗ.
        init(settings: OptimizerSettings, learningRate: Double, beta1Power: Double, beta2Power: Double) {
            self.settings = settings
            self.learningRate = learningRate
            firstCorrection = 1 - beta1Power
            secondCorrectionRoot = (1 - beta2Power).squareRoot()
        }

        /// The new value of each parameter and its state, written to the `new` buffers;
        /// false as soon as any of them is not finite.
        func update(parameters: [Double], gradients: [Double], first: [Double], second: [Double],
                    newParameters: inout [Double], newFirst: inout [Double], newSecond: inout [Double]) -> Bool {
            let s = settings
            let rate = learningRate
            return parameters.withUnsafeBufferPointer { theta in
                gradients.withUnsafeBufferPointer { gradient in
                    first.withUnsafeBufferPointer { m in
                        second.withUnsafeBufferPointer { v in
                            newParameters.withUnsafeMutableBufferPointer { newTheta in
                                newFirst.withUnsafeMutableBufferPointer { newM in
                                    newSecond.withUnsafeMutableBufferPointer { newV in
                                        for i in 0..<theta.count {
                                            var g = gradient[i]
                                            if s.weightDecay != 0 { g += s.weightDecay * theta[i] }
                                            if s.l1 != 0 { g += s.l1 * Self.sign(theta[i]) }
                                            var first = m[i]
                                            var second = v[i]
                                            let step: Double
                                            switch s.kind {
                                            case .sgd:
                                                step = g
                                            case .momentum:
                                                first = s.momentum * first + g  // b₁ = g since b starts at 0
                                                step = first
                                            case .nesterov:
                                                first = s.momentum * first + g
                                                step = g + s.momentum * first
                                            case .adagrad:
                                                first += g * g
                                                step = g / (first.squareRoot() + s.epsilon)
                                            case .rmsprop:
                                                first = s.alpha * first + (1 - s.alpha) * g * g
                                                step = g / (first.squareRoot() + s.epsilon)
                                            case .adam:
                                                // PyTorch's form of η m̂/(√v̂ + ε): (η/(1 − β₁ᵗ)) m / (√v/√(1 − β₂ᵗ) + ε).
                                                first = s.beta1 * first + (1 - s.beta1) * g
                                                second = s.beta2 * second + (1 - s.beta2) * g * g
                                                step = first / firstCorrection / (second.squareRoot() / secondCorrectionRoot + s.epsilon)
                                            }
                                            let value = theta[i] - rate * step
                                            guard value.isFinite, first.isFinite, second.isFinite else { return false }
                                            newTheta[i] = value
                                            newM[i] = first
                                            newV[i] = second
                                        }
                                        return true
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }

        /// −1, 0 or 1 as torch.sign: sign(0) = 0.
        private static func sign(_ x: Double) -> Double {
            x > 0 ? 1 : (x < 0 ? -1 : 0)
        }
    }
}
