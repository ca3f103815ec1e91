/// L-BFGS as `torch.optim.LBFGS` takes its steps, on one flat vector of parameters.
///
/// A step evaluates the objective (the loss on the whole training set and its gradient) at
/// the current parameters, then takes up to `maxIterations` quasi-Newton iterations: the
/// direction d = −H g by the two-loop recursion over the last `historySize` pairs
/// (s = t d, y = g − g_prev, kept only when yᵀs > 1e-10), H₀ = yᵀs / yᵀy, and a move θ ← θ + t d
/// with t = lr (the very first iteration: min(1, 1/Σ|g|) · lr), or t from a strong-Wolfe line
/// search. It stops early when max |g| ≤ `toleranceGradient`, when gᵀd > −`toleranceChange`,
/// when max |t d| or the change of the loss is below `toleranceChange`, or after ⌊1.25 ·
/// maxIterations⌋ evaluations. The history and the last direction carry over to the next step.
///
/// Both training paths call this one definition; each supplies the objective its own way.
public struct LBFGS: Sendable {
    public let settings: OptimizerSettings
    /// The loss and its gradient at some parameters, in the order of the flat vector.
    public typealias Objective = ([Double]) -> (loss: Double, gradient: [Double])

    /// torch's state: d, t, old_dirs (y), old_stps (s), ro, H_diag, prev_flat_grad, n_iter, func_evals.
    private var direction: [Double] = []
    private var stepLength = 0.0
    private var gradientChanges: [[Double]] = []
    private var parameterChanges: [[Double]] = []
    private var inverseCurvatures: [Double] = []
    private var hessianDiagonal = 1.0
    private var previousGradient: [Double] = []
    public private(set) var iterationCount = 0
    public private(set) var evaluationCount = 0

    public init(settings: OptimizerSettings) {
        self.settings = settings
    }

    /// torch's max_eval default: ⌊1.25 · max_iter⌋.
    var maxEvaluations: Int { settings.maxIterations * 5 / 4 }

    /// One step from `parameters`, which it moves; returns the loss at the parameters it started from.
    public mutating func step(_ parameters: inout [Double], learningRate: Double, objective: Objective) -> Double {
        var (loss, gradient) = objective(parameters)
        let originalLoss = loss
        var evaluations = 1
        evaluationCount += 1
        if Self.maxAbs(gradient) <= settings.toleranceGradient { return originalLoss }

        var iteration = 0
        while iteration < settings.maxIterations {
            iteration += 1
            iterationCount += 1
            if iterationCount == 1 {
                direction = gradient.map { -$0 }
                gradientChanges = []
                parameterChanges = []
                inverseCurvatures = []
                hessianDiagonal = 1
            } else {
                direction = nextDirection(gradient)
            }
            previousGradient = gradient
            let previousLoss = loss
            stepLength = iterationCount == 1 ? min(1, 1 / gradient.reduce(0) { $0 + abs($1) }) * learningRate : learningRate
            let slope = Self.dot(gradient, direction)
            if slope > -settings.toleranceChange { break }

            var searchEvaluations = 0
            var isOptimal = false
            if settings.strongWolfe {
                let search = StrongWolfe(start: parameters, direction: direction)
                let found = search.run(objective, step: stepLength, loss: loss, gradient: gradient, slope: slope,
                                       maxSearches: maxEvaluations - evaluations)
                (loss, gradient, stepLength, searchEvaluations) = (found.loss, found.gradient, found.step, found.evaluations)
                Self.move(&parameters, by: stepLength, along: direction)
                isOptimal = Self.maxAbs(gradient) <= settings.toleranceGradient
            } else {
                Self.move(&parameters, by: stepLength, along: direction)
                if iteration != settings.maxIterations {
                    (loss, gradient) = objective(parameters)
                    isOptimal = Self.maxAbs(gradient) <= settings.toleranceGradient
                    searchEvaluations = 1
                }
            }
            evaluations += searchEvaluations
            evaluationCount += searchEvaluations
            if iteration == settings.maxIterations || evaluations >= maxEvaluations || isOptimal { break }
            if direction.reduce(0, { max($0, abs($1 * stepLength)) }) <= settings.toleranceChange { break }
            if abs(loss - previousLoss) < settings.toleranceChange { break }
        }
        return originalLoss
    }

    /// d = −H g by the two-loop recursion, after adding the newest curvature pair if yᵀs > 1e-10.
    private mutating func nextDirection(_ gradient: [Double]) -> [Double] {
        let y = zip(gradient, previousGradient).map { $0 - $1 }
        let s = direction.map { $0 * stepLength }
        let ys = Self.dot(y, s)
        if ys > 1e-10 {
            if gradientChanges.count == settings.historySize {
                gradientChanges.removeFirst()
                parameterChanges.removeFirst()
                inverseCurvatures.removeFirst()
            }
            gradientChanges.append(y)
            parameterChanges.append(s)
            inverseCurvatures.append(1 / ys)
            hessianDiagonal = ys / Self.dot(y, y)
        }
        let count = gradientChanges.count
        var alphas = [Double](repeating: 0, count: count)
        var q = gradient.map { -$0 }
        for i in stride(from: count - 1, through: 0, by: -1) {
            alphas[i] = Self.dot(parameterChanges[i], q) * inverseCurvatures[i]
            Self.move(&q, by: -alphas[i], along: gradientChanges[i])
        }
        var r = q.map { $0 * hessianDiagonal }
        for i in 0..<count {
            let beta = Self.dot(gradientChanges[i], r) * inverseCurvatures[i]
            Self.move(&r, by: alphas[i] - beta, along: parameterChanges[i])
        }
        return r
    }

    // MARK: - Vector helpers

    static func dot(_ a: [Double], _ b: [Double]) -> Double {
        var sum = 0.0
        for i in a.indices { sum += a[i] * b[i] }
        return sum
    }

    static func maxAbs(_ values: [Double]) -> Double {
        values.reduce(0) { max($0, abs($1)) }
    }

    /// x ← x + t d.
    static func move(_ x: inout [Double], by t: Double, along d: [Double]) {
        for i in x.indices { x[i] += t * d[i] }
    }
}

extension LBFGS {
    /// torch's `_strong_wolfe` (c₁ = 1e-4, c₂ = 0.9, tolerance 1e-9): bracket a step t along d
    /// whose loss falls enough (f(t) ≤ f + c₁ t gᵀd) and whose slope has flattened enough
    /// (|g(t)ᵀd| ≤ −c₂ gᵀd), then zoom in by safeguarded cubic interpolation.
    struct StrongWolfe {
        let start: [Double]
        let direction: [Double]
        let c1 = 1e-4
        let c2 = 0.9
        let tolerance = 1e-9

        private func evaluate(_ objective: Objective, _ t: Double) -> (loss: Double, gradient: [Double], slope: Double) {
            var x = start
            LBFGS.move(&x, by: t, along: direction)
            let (loss, gradient) = objective(x)
            return (loss, gradient, LBFGS.dot(gradient, direction))
        }

        func run(_ objective: Objective, step: Double, loss f: Double, gradient g: [Double], slope gtd: Double, maxSearches: Int)
            -> (loss: Double, gradient: [Double], step: Double, evaluations: Int) {
            var t = step
            let directionNorm = LBFGS.maxAbs(direction)
            var (fNew, gNew, gtdNew) = evaluate(objective, t)
            var evaluations = 1
            var (tPrevious, fPrevious, gPrevious, gtdPrevious) = (0.0, f, g, gtd)
            var done = false
            var searches = 0
            var bracket: [Double] = [], bracketF: [Double] = [], bracketG: [[Double]] = [], bracketSlope: [Double] = []
            // Bracketing.
            while searches < maxSearches {
                if fNew > f + c1 * t * gtd || (searches > 1 && fNew >= fPrevious) {
                    (bracket, bracketF, bracketG, bracketSlope) = ([tPrevious, t], [fPrevious, fNew], [gPrevious, gNew], [gtdPrevious, gtdNew])
                    break
                }
                if abs(gtdNew) <= -c2 * gtd {
                    (bracket, bracketF, bracketG) = ([t], [fNew], [gNew])
                    done = true
                    break
                }
                if gtdNew >= 0 {
                    (bracket, bracketF, bracketG, bracketSlope) = ([tPrevious, t], [fPrevious, fNew], [gPrevious, gNew], [gtdPrevious, gtdNew])
                    break
                }
                let minStep = t + 0.01 * (t - tPrevious)
                let maxStep = t * 10
                let previous = t
                t = Self.cubicInterpolate(tPrevious, fPrevious, gtdPrevious, t, fNew, gtdNew, bounds: (minStep, maxStep))
                (tPrevious, fPrevious, gPrevious, gtdPrevious) = (previous, fNew, gNew, gtdNew)
                (fNew, gNew, gtdNew) = evaluate(objective, t)
                evaluations += 1
                searches += 1
            }
            if searches == maxSearches {
                (bracket, bracketF, bracketG, bracketSlope) = ([0, t], [f, fNew], [g, gNew], [gtd, gtdNew])
            }
            // Zooming.
            var insufficientProgress = false
            var (low, high) = bracketF[0] <= bracketF[bracketF.count - 1] ? (0, 1) : (1, 0)
            while !done && searches < maxSearches {
                if abs(bracket[1] - bracket[0]) * directionNorm < tolerance { break }
                t = Self.cubicInterpolate(bracket[0], bracketF[0], bracketSlope[0], bracket[1], bracketF[1], bracketSlope[1], bounds: nil)
                let top = max(bracket[0], bracket[1]), bottom = min(bracket[0], bracket[1])
                let margin = 0.1 * (top - bottom)
                if min(top - t, t - bottom) < margin {
                    if insufficientProgress || t >= top || t <= bottom {
                        t = abs(t - top) < abs(t - bottom) ? top - margin : bottom + margin
                        insufficientProgress = false
                    } else {
                        insufficientProgress = true
                    }
                } else {
                    insufficientProgress = false
                }
                (fNew, gNew, gtdNew) = evaluate(objective, t)
                evaluations += 1
                searches += 1
                if fNew > f + c1 * t * gtd || fNew >= bracketF[low] {
                    (bracket[high], bracketF[high], bracketG[high], bracketSlope[high]) = (t, fNew, gNew, gtdNew)
                    (low, high) = bracketF[0] <= bracketF[1] ? (0, 1) : (1, 0)
                } else {
                    if abs(gtdNew) <= -c2 * gtd {
                        done = true
                    } else if gtdNew * (bracket[high] - bracket[low]) >= 0 {
                        (bracket[high], bracketF[high], bracketG[high], bracketSlope[high])
                            = (bracket[low], bracketF[low], bracketG[low], bracketSlope[low])
                    }
                    (bracket[low], bracketF[low], bracketG[low], bracketSlope[low]) = (t, fNew, gNew, gtdNew)
                }
            }
            return (bracketF[low], bracketG[low], bracket[low], evaluations)
        }

        /// torch's `_cubic_interpolate`: the minimum of the cubic through (x₁, f₁, g₁) and
        /// (x₂, f₂, g₂), clamped to the bounds (by default the two points); their middle when
        /// the cubic has none.
        static func cubicInterpolate(_ x1: Double, _ f1: Double, _ g1: Double, _ x2: Double, _ f2: Double, _ g2: Double,
                                     bounds: (Double, Double)?) -> Double {
            let (lower, upper) = bounds ?? (x1 <= x2 ? (x1, x2) : (x2, x1))
            let d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
            let d2Square = d1 * d1 - g1 * g2
            guard d2Square >= 0 else { return (lower + upper) / 2 }
            let d2 = d2Square.squareRoot()
            let minimum = x1 <= x2 ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
                                   : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
            return min(max(minimum, lower), upper)
        }
    }
}
