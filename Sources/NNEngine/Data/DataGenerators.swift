#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Made-up data sets for teaching and benchmarks, after TensorFlow Playground and scikit-learn.
///
/// Every generator is deterministic: the same arguments and seed give the same numbers
/// (as far as `sin`, `cos` and `log` are bit-exact on the platform). Unless a function says
/// otherwise, `noise` is the standard deviation of Gaussian noise added to every input.
/// Two-class sets have a single 0/1 target column and class names ["0", "1"]; class 0 gets
/// `samples / 2` rows and class 1 the rest, and the rows are shuffled so that any slice
/// (a train/test split) holds both classes.
///
/// Counts must be positive and `noise` finite and not negative: the caller checks what the
/// user typed before calling. Each asks its `poll` as it goes: when that says stop (Ctrl-C
/// during `data circles n=30000000`), it returns at once with an unfinished set that the
/// caller, seeing `poll.isStopped`, throws away.
public enum DataGenerator {
    /// The three two-input logic functions.
    public enum TruthTable: String, CaseIterable, Sendable {
        case xor, and, or

        /// The output for inputs `a` and `b`, each 0 or 1.
        func output(_ a: Bool, _ b: Bool) -> Bool {
            switch self {
            case .xor: a != b
            case .and: a && b
            case .or: a || b
            }
        }
    }

    /// Every generator name, in the order the language lists them.
    public static let names: [String] = [
        "xor", "and", "or", "circles", "moons", "spirals", "blobs", "gaussians", "sine", "linear", "random",
    ]

    /// The number of samples when the user gives none.
    public static let defaultSampleCount = 200
    /// The noise of the playground sets (circles, moons, spirals, gaussians, blobs, sine,
    /// linear) when the user gives none.
    public static let defaultNoise = 0.1

    // MARK: - Truth tables

    /// The four rows (0,0), (0,1), (1,0), (1,1) of a logic function, with a single 0/1 target.
    public static func truthTable(_ kind: TruthTable) -> DataSet {
        var inputs: [Double] = []
        var targets: [Double] = []
        for a in [false, true] {
            for b in [false, true] {
                inputs += [a ? 1 : 0, b ? 1 : 0]
                targets.append(kind.output(a, b) ? 1 : 0)
            }
        }
        return DataSet(inputs: Matrix(rows: 4, columns: 2, storage: inputs),
                       targets: Matrix(rows: 4, columns: 1, storage: targets),
                       classNames: binaryClassNames, name: kind.rawValue)
    }

    // MARK: - Two-class playground sets

    /// A disc inside a ring, like scikit-learn's `make_circles(factor=0.5)`.
    ///
    /// Class 0: `samples / 2` points evenly spaced on the unit circle; class 1: the rest
    /// evenly spaced on the circle of radius 0.5; then noise on both inputs.
    public static func circles(samples: Int = defaultSampleCount, noise: Double = defaultNoise, seed: UInt64,
                               poll: StopPoll = .never) -> DataSet {
        checkCounts(samples: samples, noise: noise)
        var generator = SeededGenerator(seed: seed)
        let (outerCount, innerCount) = classSizes(samples)
        var points: [(x: Double, y: Double, label: Double)] = []
        points.reserveCapacity(samples)
        points: for (count, radius, label) in [(outerCount, 1.0, 0.0), (innerCount, 0.5, 1.0)] {
            for i in 0..<count {
                if poll.shouldStop() { break points }
                let angle = 2 * Double.pi * Double(i) / Double(count)
                points.append((radius * cos(angle), radius * sin(angle), label))
            }
        }
        return twoClassSet(points, noise: noise, generator: &generator, poll: poll,
                           name: "circles (n=\(samples), noise=\(noise))")
    }

    /// Two interleaving half circles, like scikit-learn's `make_moons`.
    ///
    /// Class 0: the upper moon (cos t, sin t); class 1: the lower moon (1 − cos t, 0.5 − sin t);
    /// t evenly spaced over [0, π] (ends included); then noise on both inputs.
    public static func moons(samples: Int = defaultSampleCount, noise: Double = defaultNoise, seed: UInt64,
                               poll: StopPoll = .never) -> DataSet {
        checkCounts(samples: samples, noise: noise)
        var generator = SeededGenerator(seed: seed)
        let (upperCount, lowerCount) = classSizes(samples)
        var points: [(x: Double, y: Double, label: Double)] = []
        points.reserveCapacity(samples)
        for i in 0..<upperCount {
            if poll.shouldStop() { break }
            let t = Double.pi * evenFraction(i, of: upperCount)
            points.append((cos(t), sin(t), 0))
        }
        for i in 0..<lowerCount {
            if poll.shouldStop() { break }
            let t = Double.pi * evenFraction(i, of: lowerCount)
            points.append((1 - cos(t), 0.5 - sin(t), 1))
        }
        return twoClassSet(points, noise: noise, generator: &generator, poll: poll,
                           name: "moons (n=\(samples), noise=\(noise))")
    }

    /// Two interleaved spirals, as in TensorFlow Playground.
    ///
    /// Point i of a spiral of m points has radius r = 5i/m and angle t = 1.75 · 2π · i/m + Δ,
    /// at (r sin t, r cos t); class 1 has Δ = 0 and class 0 has Δ = π. The inputs span about
    /// [−5, 5] as in the playground, so noise 0.1 leaves the arms (1.4 apart) clearly separate.
    public static func spirals(samples: Int = defaultSampleCount, noise: Double = defaultNoise, seed: UInt64,
                               poll: StopPoll = .never) -> DataSet {
        checkCounts(samples: samples, noise: noise)
        var generator = SeededGenerator(seed: seed)
        let (zeroCount, oneCount) = classSizes(samples)
        var points: [(x: Double, y: Double, label: Double)] = []
        points.reserveCapacity(samples)
        points: for (count, turn, label) in [(zeroCount, Double.pi, 0.0), (oneCount, 0.0, 1.0)] {
            for i in 0..<count {
                if poll.shouldStop() { break points }
                let fraction = Double(i) / Double(count)
                let radius = 5 * fraction
                let angle = 1.75 * 2 * Double.pi * fraction + turn
                points.append((radius * sin(angle), radius * cos(angle), label))
            }
        }
        return twoClassSet(points, noise: noise, generator: &generator, poll: poll,
                           name: "spirals (n=\(samples), noise=\(noise))")
    }

    /// Two Gaussian clusters, as in TensorFlow Playground's "gaussian" set.
    ///
    /// Class 1 is centred at (2, 2) and class 0 at (−2, −2). Here `noise` does not add noise
    /// but sets the spread, as the playground's slider does: each coordinate has variance
    /// 0.5 + 7 · noise (0.5 at noise 0, 1.2 at the default 0.1, 4 at 0.5).
    public static func gaussians(samples: Int = defaultSampleCount, noise: Double = defaultNoise, seed: UInt64,
                               poll: StopPoll = .never) -> DataSet {
        checkCounts(samples: samples, noise: noise)
        var generator = SeededGenerator(seed: seed)
        let (zeroCount, oneCount) = classSizes(samples)
        let deviation = gaussianVariance(noise: noise).squareRoot()
        var points: [(x: Double, y: Double, label: Double)] = []
        points.reserveCapacity(samples)
        points: for (count, centre, label) in [(zeroCount, -2.0, 0.0), (oneCount, 2.0, 1.0)] {
            for _ in 0..<count {
                if poll.shouldStop() { break points }
                let x = centre + deviation * generator.nextNormal()
                let y = centre + deviation * generator.nextNormal()
                points.append((x, y, label))
            }
        }
        return twoClassSet(points, noise: 0, generator: &generator, poll: poll,
                           name: "gaussians (n=\(samples), noise=\(noise))")
    }

    /// The variance of each coordinate of a `gaussians` cluster for a given `noise`.
    public static func gaussianVariance(noise: Double) -> Double {
        0.5 + 7 * noise
    }

    // MARK: - Several classes

    /// `classes` Gaussian blobs in `inputs` dimensions with one-hot targets, like scikit-learn's
    /// `make_blobs` scaled to the unit box.
    ///
    /// The centres are drawn uniformly from [−1, 1] in every input, redrawn (up to 1,000 times
    /// each) until every two are at least `minimumBlobSeparation` apart; each point is its
    /// centre plus Gaussian noise of standard deviation `noise` in every input. Class k gets
    /// `samples / classes` points, the first `samples % classes` classes one more; class
    /// names are "0" … "k−1".
    public static func blobs(samples: Int = defaultSampleCount, classes: Int, inputs: Int = 2,
                             noise: Double = defaultNoise, seed: UInt64, poll: StopPoll = .never) -> DataSet {
        checkCounts(samples: samples, noise: noise)
        precondition(classes > 0, "blobs need at least one class")
        precondition(inputs > 0, "blobs need at least one input")
        var generator = SeededGenerator(seed: seed)
        let centres = blobCentres(classes: classes, inputs: inputs, generator: &generator)
        var labels: [Int] = []
        labels.reserveCapacity(samples)
        for k in 0..<classes {
            let count = samples / classes + (k < samples % classes ? 1 : 0)
            labels += repeatElement(k, count: count)
        }
        shuffle(&labels, generator: &generator, poll: poll)
        var inputMatrix = Matrix(rows: samples, columns: inputs)
        var targets = Matrix(rows: samples, columns: classes)
        for (row, label) in labels.enumerated() {
            if poll.shouldStop() { break }
            for column in 0..<inputs {
                inputMatrix.storage[row * inputs + column] = centres[label][column] + noise * generator.nextNormal()
            }
            targets.storage[row * classes + label] = 1
        }
        return DataSet(inputs: inputMatrix, targets: targets,
                       classNames: (0..<classes).map(String.init),
                       name: "blobs (n=\(samples), classes=\(classes), inputs=\(inputs), noise=\(noise))")
    }

    /// How far apart `blobs` tries to keep every two centres.
    public static let minimumBlobSeparation = 0.5

    /// Centres uniform in [−1, 1]ⁿ, each redrawn until it is far enough from the earlier ones;
    /// after 1,000 tries the farthest candidate is kept, so this always ends.
    private static func blobCentres(classes: Int, inputs: Int, generator: inout SeededGenerator) -> [[Double]] {
        var centres: [[Double]] = []
        for _ in 0..<classes {
            var best: [Double] = []
            var bestDistance = -Double.infinity
            for _ in 0..<1_000 {
                let candidate = (0..<inputs).map { _ in generator.nextUniform(-1, 1) }
                let nearest = centres.map { distance($0, candidate) }.min() ?? Double.infinity
                if nearest > bestDistance {
                    best = candidate
                    bestDistance = nearest
                }
                if nearest >= minimumBlobSeparation { break }
            }
            centres.append(best)
        }
        return centres
    }

    private static func distance(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
    }

    // MARK: - Regression

    /// One period of a sine: x uniform in [−π, π), target sin x plus Gaussian noise of standard
    /// deviation `noise` (noise on the target, not the input).
    public static func sine(samples: Int = defaultSampleCount, noise: Double = defaultNoise, seed: UInt64,
                               poll: StopPoll = .never) -> DataSet {
        checkCounts(samples: samples, noise: noise)
        var generator = SeededGenerator(seed: seed)
        var inputs = Matrix(rows: samples, columns: 1)
        var targets = Matrix(rows: samples, columns: 1)
        for row in 0..<samples {
            if poll.shouldStop() { break }
            let x = generator.nextUniform(-Double.pi, Double.pi)
            inputs.storage[row] = x
            targets.storage[row] = sin(x) + noise * generator.nextNormal()
        }
        return DataSet(inputs: inputs, targets: targets, featureNames: ["x"],
                       name: "sine (n=\(samples), noise=\(noise))")
    }

    /// The weights of `linear`, repeated as often as there are inputs: w₁ = 2, w₂ = −3,
    /// w₃ = 0.5, w₄ = 1, w₅ = −1.5, w₆ = 2, …
    public static let linearWeightCycle: [Double] = [2, -3, 0.5, 1, -1.5]
    /// The bias of `linear`.
    public static let linearBias = 1.0

    /// The weights `linear` uses for `inputs` inputs.
    public static func linearWeights(inputs: Int) -> [Double] {
        (0..<inputs).map { linearWeightCycle[$0 % linearWeightCycle.count] }
    }

    /// A linear function to fit: every input uniform in [−1, 1), target Σ wᵢxᵢ + b plus Gaussian
    /// noise of standard deviation `noise` (on the target), with w from `linearWeights(inputs:)`
    /// and b = `linearBias`.
    public static func linear(samples: Int = defaultSampleCount, inputs: Int = 1,
                              noise: Double = defaultNoise, seed: UInt64, poll: StopPoll = .never) -> DataSet {
        checkCounts(samples: samples, noise: noise)
        precondition(inputs > 0, "a linear set needs at least one input")
        var generator = SeededGenerator(seed: seed)
        let weights = linearWeights(inputs: inputs)
        var inputMatrix = Matrix(rows: samples, columns: inputs)
        var targets = Matrix(rows: samples, columns: 1)
        for row in 0..<samples {
            if poll.shouldStop() { break }
            var y = linearBias
            for column in 0..<inputs {
                let x = generator.nextUniform(-1, 1)
                inputMatrix.storage[row * inputs + column] = x
                y += weights[column] * x
            }
            targets.storage[row] = y + noise * generator.nextNormal()
        }
        return DataSet(inputs: inputMatrix, targets: targets,
                       name: "linear (n=\(samples), inputs=\(inputs), noise=\(noise))")
    }

    // MARK: - Benchmarks

    /// Noise to time training with: inputs uniform in [0, 1), one-hot labels uniform over
    /// `classes` (names "0" … "k−1"). Fills the storage directly, so 60,000 × 784 takes
    /// well under a second.
    public static func random(samples: Int = defaultSampleCount, inputs: Int, classes: Int, seed: UInt64,
                              poll: StopPoll = .never) -> DataSet {
        precondition(samples > 0, "a data set needs at least one sample")
        precondition(inputs > 0 && classes > 0, "random data needs at least one input and one class")
        var generator = SeededGenerator(seed: seed)
        var inputMatrix = Matrix(rows: samples, columns: inputs)
        var targets = Matrix(rows: samples, columns: classes)
        inputMatrix.storage.withUnsafeMutableBufferPointer { buffer in
            for i in buffer.indices {
                if i % inputs == 0, poll.shouldStop() { break }
                buffer[i] = Double(generator.next() >> 11) * 0x1p-53
            }
        }
        targets.storage.withUnsafeMutableBufferPointer { buffer in
            for row in 0..<samples {
                if poll.shouldStop() { break }
                buffer[row * classes + boundedRandom(classes, generator: &generator)] = 1
            }
        }
        return DataSet(inputs: inputMatrix, targets: targets,
                       classNames: (0..<classes).map(String.init),
                       name: "random (n=\(samples), inputs=\(inputs), classes=\(classes))")
    }

    // MARK: - Helpers

    private static let binaryClassNames = ["0", "1"]

    private static func checkCounts(samples: Int, noise: Double) {
        precondition(samples > 0, "a data set needs at least one sample")
        precondition(noise.isFinite && noise >= 0, "noise must be a finite number, not negative")
    }

    /// Class 0 gets half the samples rounded down, class 1 the rest (scikit-learn's split).
    private static func classSizes(_ samples: Int) -> (Int, Int) {
        (samples / 2, samples - samples / 2)
    }

    /// i/(count − 1), both ends included; 0 for a single point.
    private static func evenFraction(_ i: Int, of count: Int) -> Double {
        count > 1 ? Double(i) / Double(count - 1) : 0
    }

    /// Shuffled points with noise added to both coordinates, as a two-input, one-target set.
    private static func twoClassSet(_ points: [(x: Double, y: Double, label: Double)], noise: Double,
                                    generator: inout SeededGenerator, poll: StopPoll, name: String) -> DataSet {
        var order = Array(points.indices)
        shuffle(&order, generator: &generator, poll: poll)
        var inputs = Matrix(rows: points.count, columns: 2)
        var targets = Matrix(rows: points.count, columns: 1)
        for (row, index) in order.enumerated() {
            if poll.shouldStop() { break }
            let point = points[index]
            inputs.storage[2 * row] = point.x + (noise > 0 ? noise * generator.nextNormal() : 0)
            inputs.storage[2 * row + 1] = point.y + (noise > 0 ? noise * generator.nextNormal() : 0)
            targets.storage[row] = point.label
        }
        return DataSet(inputs: inputs, targets: targets, classNames: binaryClassNames, name: name)
    }

    /// A uniform integer in 0..<bound by Lemire's multiply-shift (bias below 2⁻⁶⁴·bound); written
    /// out rather than `Int.random(in:using:)` so the sequence cannot change with the standard library.
    private static func boundedRandom(_ bound: Int, generator: inout SeededGenerator) -> Int {
        Int(generator.next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// Fisher–Yates with `boundedRandom`, for the same reason.
    /// A `poll` that says stop leaves the shuffle unfinished.
    static func shuffle<T>(_ elements: inout [T], generator: inout SeededGenerator, poll: StopPoll = .never) {
        guard elements.count > 1 else { return }
        for i in stride(from: elements.count - 1, to: 0, by: -1) {
            if poll.shouldStop() { return }
            elements.swapAt(i, boundedRandom(i + 1, generator: &generator))
        }
    }
}
