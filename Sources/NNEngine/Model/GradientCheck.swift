/// Checks backpropagation's gradients against central differences of the loss, parameter by
/// parameter: numeric = (L(θ + ε) − L(θ − ε)) / 2ε.
public enum GradientCheck {
    /// The relative error under which a gradient passes. With ε = 1e-6 in float64, central
    /// differences of smooth functions agree with exact gradients to about 1e-9; 1e-5 leaves
    /// room for the rounding of large networks while still catching any wrong derivative,
    /// which is off by far more.
    public static let tolerance = 1e-5
    public static let defaultEpsilon = 1e-6

    /// One parameter's comparison.
    public struct Entry: Equatable, Sendable {
        /// 1-based layer, row, and column (nil for a bias).
        public var layer: Int
        public var row: Int
        public var column: Int?
        public var analytic: Double
        public var numeric: Double
        /// How far round-off alone can move the central difference: the losses it subtracts
        /// are each off by a few ulps, which dividing by 2ε magnifies.
        public var roundOff: Double = 0
        /// Which of batch normalization's parameters, γ[row] or β[row], or nil for a weight or bias.
        public var normalization: NormalizationParameter? = nil

        /// |a − n| / max(|a| + |n|, floor): 0 when they agree, about 1 when they do not.
        /// The floor is where round-off (or 1e-12) would make the tolerance: for a gradient
        /// of 0 or near it, the difference is measured against what round-off allows, since
        /// against the gradient itself any noise would be an error of 1.
        public var relativeError: Double {
            let floor = max(roundOff, 1e-12) / GradientCheck.tolerance
            return abs(analytic - numeric) / max(abs(analytic) + abs(numeric), floor)
        }
    }

    public struct Result: Equatable, Sendable {
        public var entries: [Entry]
        public var tolerance: Double
        /// Whether `shouldContinue` stopped the check before every selected parameter was checked.
        public var wasStopped = false
        /// How many parameters the selection holds; more than `entries` when tensors were sampled.
        public var selectedCount = 0

        public var worst: Entry? { entries.max { $0.relativeError < $1.relativeError } }
        public var passed: Bool { (worst?.relativeError ?? 0) <= tolerance }
        /// Whether every gradient is (numerically) zero: a check that passes then proves nothing.
        public var allZero: Bool { entries.allSatisfy { abs($0.analytic) < 1e-12 && abs($0.numeric) < 1e-12 } }
    }

    /// γ or β of a layer's batch normalization.
    public enum NormalizationParameter: String, Equatable, Sendable {
        case gamma, beta
    }

    /// Which parameters to check.
    public enum Selection: Equatable, Sendable {
        case all
        case weights(layer: Int)
        case biases(layer: Int)
        case weight(layer: Int, row: Int, column: Int)
        case bias(layer: Int, index: Int)
        /// γ or β of a layer's batch normalization, all of it (`index` nil) or one element (1-based).
        case normalization(NormalizationParameter, layer: Int, index: Int?)
    }

    /// Compares `gradients` (backpropagation's, unless a test passes broken ones) with central
    /// differences of `loss` on the data (`Network.trainingLoss`: batch normalization by the
    /// batch's statistics, as backpropagation differentiates it), for the selected parameters,
    /// γ and β with them. `shouldContinue` is asked
    /// before each parameter; when it says no, the result holds those checked so far.
    ///
    /// With `samplePerTensor` k, a tensor (a layer's weights, its biases, γ, β) of which the
    /// selection holds more than k parameters has k of them checked, drawn by `generator`: a
    /// large network is checked in seconds instead of hours, and a wrong derivative, which is
    /// wrong for most of a tensor, is still caught.
    public static func run(
        network: Network, inputs: Matrix, targets: Matrix, loss: Loss, selection: Selection = .all,
        epsilon: Double = defaultEpsilon, gradients given: NetworkGradients? = nil,
        samplePerTensor: Int? = nil, generator: inout SeededGenerator, shouldContinue: () -> Bool = { true }
    ) -> Result {
        let gradients = given ?? network.gradients(input: inputs, target: targets, loss: loss)
        var probe = network
        // Each parameter changes one unit of one layer: the losses start from this pass
        // (`trainingLoss(changingUnit:ofLayer:from:target:loss:)`), running only that unit and the layers above again.
        let pass = CachedPass(network: network, inputs: inputs)
        var unit = (layer: 0, index: 0)
        /// `set(&probe, value)` gives the parameter a value: θ + ε, θ − ε, then θ again exactly, so
        /// no rounding is left behind for the next parameter's check (the cached pass has none).
        func numeric(from value: Double, _ set: (inout Network, Double) -> Void) -> (value: Double, roundOff: Double) {
            set(&probe, value + epsilon)
            let plus = probe.trainingLoss(changingUnit: unit.index, ofLayer: unit.layer, from: pass, target: targets, loss: loss)
            set(&probe, value - epsilon)
            let minus = probe.trainingLoss(changingUnit: unit.index, ofLayer: unit.layer, from: pass, target: targets, loss: loss)
            set(&probe, value)
            return ((plus - minus) / (2 * epsilon), 10 * Double.ulpOfOne * max(abs(plus), abs(minus)) / epsilon)
        }
        var entries: [Entry] = []
        var selectedCount = 0
        /// The positions of a tensor to check: those selected, or a sample of them.
        func chosen(_ positions: [Int]) -> Set<Int> {
            selectedCount += positions.count
            guard let sample = samplePerTensor, positions.count > sample else { return Set(positions) }
            var shuffled = positions
            generator.shuffle(&shuffled)
            return Set(shuffled.prefix(sample))
        }
        func stopped() -> Result { Result(entries: entries, tolerance: tolerance, wasStopped: true, selectedCount: selectedCount) }
        for (index, layer) in network.layers.enumerated() {
            let number = index + 1
            let weights = chosen((0..<layer.weights.count).filter {
                selection.includesWeight(layer: number, row: $0 / layer.inputCount + 1, column: $0 % layer.inputCount + 1)
            })
            for row in 0..<layer.units {
                for column in 0..<layer.inputCount where weights.contains(row * layer.inputCount + column) {
                    guard shouldContinue() else { return stopped() }
                    unit = (index, row)
                    let (value, roundOff) = numeric(from: layer.weights[row, column]) { network, value in network.layers[index].weights[row, column] = value }
                    entries.append(Entry(layer: number, row: row + 1, column: column + 1, analytic: gradients.weights[index][row, column], numeric: value, roundOff: roundOff))
                }
            }
            let biases = chosen((0..<layer.units).filter { selection.includesBias(layer: number, index: $0 + 1) })
            for row in 0..<layer.units where biases.contains(row) {
                guard shouldContinue() else { return stopped() }
                unit = (index, row)
                let (value, roundOff) = numeric(from: layer.biases[row]) { network, value in network.layers[index].biases[row] = value }
                entries.append(Entry(layer: number, row: row + 1, column: nil, analytic: gradients.biases[index][row], numeric: value, roundOff: roundOff))
            }
            guard layer.batchNorm != nil else { continue }
            for which in [NormalizationParameter.gamma, .beta] {
                let analytic = which == .gamma ? gradients.gamma(layer: index) : gradients.beta(layer: index)
                let units = chosen((0..<min(layer.units, analytic.count)).filter { selection.includes(which, layer: number, index: $0 + 1) })
                for row in 0..<layer.units where units.contains(row) {
                    guard shouldContinue() else { return stopped() }
                    unit = (index, row)
                    let original = (which == .gamma ? layer.batchNorm?.gamma[row] : layer.batchNorm?.beta[row]) ?? 0
                    let (value, roundOff) = numeric(from: original) { network, value in
                        if which == .gamma { network.layers[index].batchNorm?.gamma[row] = value } else { network.layers[index].batchNorm?.beta[row] = value }
                    }
                    entries.append(Entry(layer: number, row: row + 1, column: nil, analytic: analytic[row],
                                         numeric: value, roundOff: roundOff, normalization: which))
                }
            }
        }
        return Result(entries: entries, tolerance: tolerance, selectedCount: selectedCount)
    }

    /// Every selected parameter checked: `run` without sampling.
    public static func run(
        network: Network, inputs: Matrix, targets: Matrix, loss: Loss, selection: Selection = .all,
        epsilon: Double = defaultEpsilon, gradients given: NetworkGradients? = nil, shouldContinue: () -> Bool = { true }
    ) -> Result {
        var generator = SeededGenerator(seed: 0)
        return run(network: network, inputs: inputs, targets: targets, loss: loss, selection: selection, epsilon: epsilon,
                   gradients: given, samplePerTensor: nil, generator: &generator, shouldContinue: shouldContinue)
    }
}

extension GradientCheck.Selection {
    func includesWeight(layer: Int, row: Int, column: Int) -> Bool {
        switch self {
        case .all: return true
        case .weights(let chosen): return chosen == layer
        case .weight(let chosenLayer, let chosenRow, let chosenColumn): return (chosenLayer, chosenRow, chosenColumn) == (layer, row, column)
        case .biases, .bias, .normalization: return false
        }
    }

    func includes(_ which: GradientCheck.NormalizationParameter, layer: Int, index: Int) -> Bool {
        switch self {
        case .all: return true
        case .normalization(let chosen, let chosenLayer, let chosenIndex):
            return chosen == which && chosenLayer == layer && (chosenIndex.map { $0 == index } ?? true)
        default: return false
        }
    }

    func includesBias(layer: Int, index: Int) -> Bool {
        switch self {
        case .all: return true
        case .biases(let chosen): return chosen == layer
        case .bias(let chosenLayer, let chosenIndex): return (chosenLayer, chosenIndex) == (layer, index)
        case .weights, .weight, .normalization: return false
        }
    }
}
