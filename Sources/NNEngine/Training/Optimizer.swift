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
    /// `torch.optim.Rprop` (iRPROP−): each parameter's own step size grows by η₊ while its
    /// gradient keeps its sign and shrinks by η₋ when it flips (that step then skips the
    /// parameter and forgets its gradient); θ ← θ − step·sign(g). The first step size is the
    /// learning rate.
    case rprop
    /// `torch.optim.LBFGS`: full-batch, up to `maxIterations` quasi-Newton iterations per step
    /// from the last `historySize` curvature pairs, optionally with a strong-Wolfe line search.
    /// Its arithmetic is `LBFGS`, not `Rule`.
    case lbfgs
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
    /// η₋ and η₊ of rprop, torch's `etas`: 0.5 and 1.2.
    public var etaMinus: Double
    public var etaPlus: Double
    /// The least and greatest step size of rprop, torch's `step_sizes`: 1e-6 and 50.
    public var stepMinimum: Double
    public var stepMaximum: Double
    /// Whether rprop follows FANN's `FANN_TRAIN_RPROP` (`fann_update_weights_irpropm`) instead of
    /// torch's Rprop: see `Rule.update`. false.
    public var fannRprop: Bool
    /// L-BFGS: the curvature pairs kept, torch's `history_size`: 100.
    public var historySize: Int
    /// L-BFGS: iterations per step, torch's `max_iter`: 20; evaluations at most ⌊1.25 max_iter⌋.
    public var maxIterations: Int
    /// L-BFGS: a step ends once max |g| is at most this, torch's `tolerance_grad`: 1e-7.
    public var toleranceGradient: Double
    /// L-BFGS: a step ends once the loss or the parameters change less, torch's `tolerance_change`: 1e-9.
    public var toleranceChange: Double
    /// L-BFGS: whether to search the line by the strong Wolfe conditions, torch's
    /// `line_search_fn="strong_wolfe"`: false.
    public var strongWolfe: Bool

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
        etaMinus = 0.5
        etaPlus = 1.2
        stepMinimum = 1e-6
        stepMaximum = 50
        fannRprop = false
        historySize = 100
        maxIterations = 20
        toleranceGradient = 1e-7
        toleranceChange = 1e-9
        strongWolfe = false
    }

    /// The settings for `kind` with PyTorch's defaults; the same as `init(kind:)`.
    public static func defaults(for kind: OptimizerKind) -> OptimizerSettings {
        OptimizerSettings(kind: kind)
    }

    /// Whether every constant is finite and in the range its rule needs:
    /// μ, λ, λ₁, ε ≥ 0, β₁, β₂, α in [0, 1); 0 < η₋ < 1 < η₊, 0 ≤ least step ≤ greatest step;
    /// L-BFGS's history and iterations ≥ 1, its tolerances ≥ 0.
    public var isValid: Bool {
        let values = [momentum, beta1, beta2, epsilon, alpha, weightDecay, l1, etaMinus, etaPlus, stepMinimum, stepMaximum,
                      toleranceGradient, toleranceChange]
        return values.allSatisfy { $0.isFinite && $0 >= 0 } && beta1 < 1 && beta2 < 1 && alpha < 1
            && etaMinus > 0 && etaMinus < 1 && etaPlus > 1 && stepMinimum <= stepMaximum
            && historySize >= 1 && maxIterations >= 1
    }
}

/// A gradient-based optimizer with the per-parameter state its rule keeps between steps.
///
/// The state (momentum buffer, sum or moving averages of squared gradients) is allocated
/// once, zero, shaped like the network it was made for. A step computes the new
/// parameters and state into scratch buffers and swaps them in only if every value is
/// finite, so a step allocates nothing and a diverging step changes nothing.
///
/// The arithmetic of every rule is `Optimizer.Rule.update`, which the training workspace
/// runs too.
public struct Optimizer: Sendable {
    public let settings: OptimizerSettings
    /// The layers (from 0) whose parameters stay as they are, as torch skips parameters with
    /// `requires_grad=False`: no step, no weight decay, no state.
    public let frozenLayers: Set<Int>
    /// The number of steps taken: t of adam's bias correction.
    public private(set) var stepCount = 0
    /// β₁ᵗ and β₂ᵗ for t = `stepCount`, kept as running products so a step costs the same at any t.
    private var beta1Power = 1.0
    private var beta2Power = 1.0

    /// Per parameter, what the rule keeps of past gradients; see `Rule.update`.
    private var gradientState: [Parameters]
    /// Per parameter, adam's moving average of g²; see `Rule.update`.
    private var squaredGradientAverage: [Parameters]
    /// Where a step writes before it knows the step is finite.
    private var scratch: Parameters.Scratch

    /// An optimizer for `network`'s shape with all state zero.
    public init(settings: OptimizerSettings, for network: Network, frozenLayers: Set<Int> = []) {
        self.settings = settings
        self.frozenLayers = frozenLayers
        let zero = network.layers.map { Parameters(weights: Array(repeating: 0, count: $0.weights.count),
                                                  biases: Array(repeating: 0, count: $0.biases.count),
                                                  normalization: Array(repeating: 0, count: $0.batchNorm?.parameterCount ?? 0)) }
        gradientState = zero
        squaredGradientAverage = zero
        scratch = Parameters.Scratch(parameters: zero, gradientState: zero, squaredGradientAverage: zero)
    }

    /// One plain gradient-descent step, θ ← θ − η ∂L/∂θ for every weight and bias, all or
    /// nothing: the first step of a fresh `sgd` optimizer. False, changing nothing, if any new
    /// value or `gradients.loss` would not be finite.
    public static func descend(_ network: inout Network, gradients: NetworkGradients, learningRate: Double,
                               frozenLayers: Set<Int> = []) -> Bool {
        var optimizer = Optimizer(settings: OptimizerSettings(kind: .sgd), for: network, frozenLayers: frozenLayers)
        return optimizer.step(&network, gradients: gradients, learningRate: learningRate)
    }

    /// One update with learning rate `learningRate`, all or nothing.
    ///
    /// If any new parameter or state value, or `gradients.loss`, would be non-finite,
    /// nothing changes (the state included) and the result is false.
    public mutating func step(_ network: inout Network, gradients: NetworkGradients, learningRate: Double) -> Bool {
        precondition(gradients.weights.count == network.layers.count && gradients.biases.count == network.layers.count
                     && gradientState.count == network.layers.count,
                     "gradients for \(gradients.weights.count) layers, optimizer for \(gradientState.count), network has \(network.layers.count)")
        guard gradients.loss.isFinite else { return false }
        let rule = Rule<Double>(settings: settings, learningRate: learningRate,
                                beta1Power: beta1Power * settings.beta1, beta2Power: beta2Power * settings.beta2,
                                isFirstStep: stepCount == 0)
        for index in network.layers.indices where !frozenLayers.contains(index) {
            let layer = network.layers[index]
            precondition(gradients.weights[index].count == layer.weights.count && gradients.biases[index].count == layer.biases.count
                         && gradientState[index].weights.count == layer.weights.count
                         && gradientState[index].biases.count == layer.biases.count,
                         "gradient or state shapes differ from layer \(index + 1)")
            guard Self.update(rule, parameters: layer.weights.storage, gradients: gradients.weights[index].storage,
                              state: gradientState[index].weights, squares: squaredGradientAverage[index].weights,
                              newParameters: &scratch.parameters[index].weights,
                              newState: &scratch.gradientState[index].weights,
                              newSquares: &scratch.squaredGradientAverage[index].weights),
                  Self.update(rule, parameters: layer.biases, gradients: gradients.biases[index],
                              state: gradientState[index].biases, squares: squaredGradientAverage[index].biases,
                              newParameters: &scratch.parameters[index].biases,
                              newState: &scratch.gradientState[index].biases,
                              newSquares: &scratch.squaredGradientAverage[index].biases),
                  Self.update(rule, parameters: layer.batchNorm.map { $0.gamma + $0.beta } ?? [],
                              gradients: Self.normalizationGradients(gradients, layer: index, count: gradientState[index].normalization.count),
                              state: gradientState[index].normalization, squares: squaredGradientAverage[index].normalization,
                              newParameters: &scratch.parameters[index].normalization,
                              newState: &scratch.gradientState[index].normalization,
                              newSquares: &scratch.squaredGradientAverage[index].normalization)
            else { return false }
        }
        // Every value is finite: swap the new values in; the old ones become next step's scratch.
        for index in network.layers.indices where !frozenLayers.contains(index) {
            swap(&network.layers[index].weights.storage, &scratch.parameters[index].weights)
            swap(&network.layers[index].biases, &scratch.parameters[index].biases)
            if let units = network.layers[index].batchNorm?.units {
                let normalization = scratch.parameters[index].normalization
                network.layers[index].batchNorm?.gamma = Array(normalization[..<units])
                network.layers[index].batchNorm?.beta = Array(normalization[units...])
            }
            swap(&gradientState[index], &scratch.gradientState[index])
            swap(&squaredGradientAverage[index], &scratch.squaredGradientAverage[index])
        }
        stepCount += 1
        beta1Power *= settings.beta1
        beta2Power *= settings.beta2
        return true
    }

    /// ∂L/∂γ then ∂L/∂β of layer `index`, or `count` zeros where `gradients` has none.
    private static func normalizationGradients(_ gradients: NetworkGradients, layer index: Int, count: Int) -> [Double] {
        let values = gradients.gamma(layer: index) + gradients.beta(layer: index)
        return values.count == count ? values : Array(repeating: 0, count: count)
    }

    /// The new value of each parameter and its state by `rule`, written to the `new` arrays;
    /// false as soon as any of them is not finite.
    private static func update(_ rule: Rule<Double>, parameters: [Double], gradients: [Double], state: [Double], squares: [Double],
                               newParameters: inout [Double], newState: inout [Double], newSquares: inout [Double]) -> Bool {
        for i in parameters.indices {
            var state = state[i]
            var squares = squares[i]
            let value = rule.update(parameters[i], gradient: gradients[i], state: &state, squaredAverage: &squares)
            guard value.isFinite, state.isFinite, squares.isFinite else { return false }
            newParameters[i] = value
            newState[i] = state
            newSquares[i] = squares
        }
        return true
    }
}

extension Optimizer {
    /// The values kept for each parameter of one layer, weights row by row, biases, then
    /// batch normalization's γ and β (empty without it).
    struct Parameters: Sendable {
        var weights: [Double]
        var biases: [Double]
        var normalization: [Double]

        /// Buffers a step writes into.
        struct Scratch: Sendable {
            var parameters: [Parameters]
            var gradientState: [Parameters]
            var squaredGradientAverage: [Parameters]
        }
    }

    /// One step's update rule with its constants worked out in `Scalar`: the one definition
    /// of every optimizer's arithmetic, run by `Optimizer.step` in `Double` and by the
    /// training workspace in `Double` or `Float`.
    struct Rule<Scalar: TrainingScalar> {
        let kind: OptimizerKind
        let learningRate: Scalar
        let weightDecay: Scalar
        let l1: Scalar
        let momentum: Scalar
        let alpha: Scalar
        let epsilon: Scalar
        let beta1: Scalar
        let beta2: Scalar
        let etaMinus: Scalar
        let etaPlus: Scalar
        let stepMinimum: Scalar
        let stepMaximum: Scalar
        let fannRprop: Bool
        /// Whether this is the first step, when rprop's step sizes start at the learning rate.
        let isFirstStep: Bool
        /// 1 − β₁ᵗ and √(1 − β₂ᵗ), adam's bias corrections at step t, worked out in `Double`.
        let firstCorrection: Scalar
        let secondCorrectionRoot: Scalar

        /// The rule at step t, given β₁ᵗ and β₂ᵗ.
        init(settings: OptimizerSettings, learningRate: Double, beta1Power: Double, beta2Power: Double, isFirstStep: Bool = false) {
            kind = settings.kind
            self.learningRate = Scalar(learningRate)
            weightDecay = Scalar(settings.weightDecay)
            l1 = Scalar(settings.l1)
            momentum = Scalar(settings.momentum)
            alpha = Scalar(settings.alpha)
            epsilon = Scalar(settings.epsilon)
            beta1 = Scalar(settings.beta1)
            beta2 = Scalar(settings.beta2)
            etaMinus = Scalar(settings.etaMinus)
            etaPlus = Scalar(settings.etaPlus)
            stepMinimum = Scalar(settings.stepMinimum)
            stepMaximum = Scalar(settings.stepMaximum)
            fannRprop = settings.fannRprop
            self.isFirstStep = isFirstStep
            firstCorrection = Scalar(1 - beta1Power)
            secondCorrectionRoot = Scalar((1 - beta2Power).squareRoot())
        }

        /// The new value of parameter θ with gradient g, updating its state in place.
        ///
        /// `state` is what the rule keeps of past gradients: momentum's and nesterov's buffer
        /// b, adagrad's sum s of g², rmsprop's moving average v of g², adam's moving average m
        /// of g, rprop's last gradient. `squaredAverage` is adam's moving average v of g², rprop's
        /// step size; the others leave it alone.
        @inline(__always)
        func update(_ theta: Scalar, gradient: Scalar, state: inout Scalar, squaredAverage: inout Scalar) -> Scalar {
            var g = gradient
            if weightDecay != 0 { g += weightDecay * theta }
            if l1 != 0 { g += l1 * (theta > 0 ? 1 : (theta < 0 ? -1 : 0)) }  // torch.sign: sign(0) = 0
            let direction: Scalar
            switch kind {
            case .sgd:
                direction = g
            case .momentum:
                state = momentum * state + g  // b₁ = g since b starts at 0
                direction = state
            case .nesterov:
                state = momentum * state + g
                direction = g + momentum * state
            case .adagrad:
                state += g * g
                direction = g / (state.squareRoot() + epsilon)
            case .rmsprop:
                state = alpha * state + (1 - alpha) * g * g
                direction = g / (state.squareRoot() + epsilon)
            case .adam:
                // PyTorch's form of η m̂/(√v̂ + ε): (η/(1 − β₁ᵗ)) m / (√v/√(1 − β₂ᵗ) + ε).
                state = beta1 * state + (1 - beta1) * g
                squaredAverage = beta2 * squaredAverage + (1 - beta2) * g * g
                direction = state / firstCorrection / (squaredAverage.squareRoot() / secondCorrectionRoot + epsilon)
            case .rprop where fannRprop:
                // FANN: slope s = −g; the step (at least 1e-4, lr at first) grows while s·s_prev ≥ 0,
                // the first step included, else shrinks and s counts as 0; θ moves down by the step
                // if s < 0, else up (s = 0 too), and stays within ±1500.
                var slope = -g
                let previousStep = max(isFirstStep ? learningRate : squaredAverage, 0.0001)
                let stepSize: Scalar
                if state * slope >= 0 {
                    stepSize = min(previousStep * etaPlus, stepMaximum)
                } else {
                    stepSize = max(previousStep * etaMinus, stepMinimum)
                    slope = 0
                }
                state = slope
                squaredAverage = stepSize
                return min(max(slope < 0 ? theta - stepSize : theta + stepSize, -1500), 1500)
            case .rprop:
                // torch: the step size starts at lr, is multiplied by η₊, η₋ or 1 as g·g_prev is
                // > 0, < 0 or 0, clamped; where the sign flipped g counts as 0 now and next time.
                let product = g * state
                let factor: Scalar = product > 0 ? etaPlus : (product < 0 ? etaMinus : 1)
                let stepSize = min(max((isFirstStep ? learningRate : squaredAverage) * factor, stepMinimum), stepMaximum)
                if product < 0 { g = 0 }
                state = g
                squaredAverage = stepSize
                return Self.descend(theta, direction: (g > 0 ? 1 : (g < 0 ? -1 : 0)) * stepSize, learningRate: 1)
            case .lbfgs:
                // `LBFGS` takes L-BFGS's steps; a rule for it leaves θ alone.
                return theta
            }
            return Self.descend(theta, direction: direction, learningRate: learningRate)
        }

        /// θ − η d: plain gradient descent when d is the gradient, and every rule's last move.
        @inline(__always)
        static func descend(_ theta: Scalar, direction: Scalar, learningRate: Scalar) -> Scalar {
            theta - learningRate * direction
        }
    }
}
