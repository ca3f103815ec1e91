#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import NNEngine

@Suite("Data generators")
struct DataGeneratorTests {
    // MARK: - Truth tables

    static let truthTables: [(DataGenerator.TruthTable, [Double])] = [
        (.xor, [0, 1, 1, 0]),
        (.and, [0, 0, 0, 1]),
        (.or, [0, 1, 1, 1]),
    ]

    @Test(arguments: truthTables)
    func truthTableIsExact(kind: DataGenerator.TruthTable, outputs: [Double]) {
        let data = DataGenerator.truthTable(kind)
        #expect(data.inputs == Matrix([[0, 0], [0, 1], [1, 0], [1, 1]]))
        #expect(data.targets == Matrix(column: outputs))
        #expect(data.classNames == ["0", "1"])
        #expect(data.featureNames == ["x1", "x2"])
        #expect(data.name == kind.rawValue)
    }

    @Test func namesListEveryGenerator() {
        #expect(DataGenerator.names == ["xor", "and", "or", "circles", "moons", "spirals", "blobs",
                                        "gaussians", "sine", "linear", "random"])
        #expect(DataGenerator.TruthTable.allCases.map(\.rawValue) == Array(DataGenerator.names.prefix(3)))
    }

    // MARK: - Two-class playground sets

    typealias TwoClassGenerator = @Sendable (Int, Double, UInt64) -> DataSet

    static let twoClassSets: [(String, TwoClassGenerator)] = [
        ("circles", { DataGenerator.circles(samples: $0, noise: $1, seed: $2) }),
        ("moons", { DataGenerator.moons(samples: $0, noise: $1, seed: $2) }),
        ("spirals", { DataGenerator.spirals(samples: $0, noise: $1, seed: $2) }),
        ("gaussians", { DataGenerator.gaussians(samples: $0, noise: $1, seed: $2) }),
    ]

    @Test(arguments: twoClassSets, [200, 201, 1])
    func twoClassShapeAndBalance(set: (String, TwoClassGenerator), samples: Int) {
        let data = set.1(samples, 0.1, 1)
        #expect(data.inputs.rows == samples && data.inputs.columns == 2)
        #expect(data.targets.rows == samples && data.targets.columns == 1)
        #expect(data.classNames == ["0", "1"])
        #expect(data.featureNames == ["x1", "x2"])
        #expect(data.name == "\(set.0) (n=\(samples), noise=0.1)")
        #expect(data.targets.storage.allSatisfy { $0 == 0 || $0 == 1 })
        let ones = data.targets.storage.filter { $0 == 1 }.count
        #expect(ones == samples - samples / 2)
        #expect(data.inputs.isFinite)
    }

    @Test(arguments: twoClassSets)
    func twoClassDeterminism(set: (String, TwoClassGenerator)) {
        let first = set.1(100, 0.2, 7)
        #expect(first == set.1(100, 0.2, 7))
        #expect(first.inputs != set.1(100, 0.2, 8).inputs)
    }

    @Test(arguments: twoClassSets)
    func twoClassRowsAreShuffled(set: (String, TwoClassGenerator)) {
        // A train/test split by slicing needs both classes in each half.
        let data = set.1(200, 0.1, 3)
        let firstHalf = data.targets.storage.prefix(100)
        #expect(firstHalf.contains(0) && firstHalf.contains(1))
    }

    /// Without noise, points lie exactly where the recipe puts them.
    @Test func circlesWithoutNoiseLieOnTheirCircles() {
        let data = DataGenerator.circles(samples: 101, noise: 0, seed: 2)
        for row in 0..<data.sampleCount {
            let radius = (data.inputs[row, 0] * data.inputs[row, 0] + data.inputs[row, 1] * data.inputs[row, 1]).squareRoot()
            let expected = data.targets[row, 0] == 1 ? 0.5 : 1.0
            #expect(abs(radius - expected) < 1e-12)
        }
    }

    @Test func moonsWithoutNoiseLieOnTheirMoons() {
        let data = DataGenerator.moons(samples: 100, noise: 0, seed: 2)
        for row in 0..<data.sampleCount {
            let x = data.inputs[row, 0]
            let y = data.inputs[row, 1]
            if data.targets[row, 0] == 0 {
                #expect(abs(x * x + y * y - 1) < 1e-12 && y >= -1e-12)
            } else {
                #expect(abs((x - 1) * (x - 1) + (y - 0.5) * (y - 0.5) - 1) < 1e-12 && y <= 0.5 + 1e-12)
            }
        }
    }

    @Test func spiralsStayWithinRadiusFive() {
        let data = DataGenerator.spirals(samples: 200, noise: 0, seed: 2)
        let radii = (0..<200).map { (data.inputs[$0, 0] * data.inputs[$0, 0] + data.inputs[$0, 1] * data.inputs[$0, 1]).squareRoot() }
        #expect(radii.allSatisfy { $0 < 5 })
        #expect(radii.max()! > 4.9)
        #expect(radii.min()! == 0)
    }

    @Test func noiseHasTheRequestedDeviation() {
        let clean = DataGenerator.circles(samples: 4000, noise: 0, seed: 9)
        let noisy = DataGenerator.circles(samples: 4000, noise: 0.3, seed: 9)
        // Same seed, same order: the difference is the noise alone.
        #expect(clean.targets == noisy.targets)
        let differences = zip(noisy.inputs.storage, clean.inputs.storage).map { $0 - $1 }
        let mean = differences.reduce(0, +) / Double(differences.count)
        let deviation = (differences.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(differences.count)).squareRoot()
        #expect(abs(mean) < 0.02)
        #expect(abs(deviation - 0.3) < 0.02)
    }

    @Test(arguments: [(0.0, 0.5), (0.1, 1.2), (0.5, 4.0)])
    func gaussiansSpreadFollowsThePlayground(noise: Double, variance: Double) {
        #expect(abs(DataGenerator.gaussianVariance(noise: noise) - variance) < 1e-12)
        let data = DataGenerator.gaussians(samples: 4000, noise: noise, seed: 4)
        for label in [0.0, 1.0] {
            let rows = (0..<data.sampleCount).filter { data.targets[$0, 0] == label }
            let xs = rows.map { data.inputs[$0, 0] }
            let mean = xs.reduce(0, +) / Double(xs.count)
            let measured = xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(xs.count)
            #expect(abs(mean - (label == 1 ? 2 : -2)) < 0.1)
            #expect(abs(measured - variance) < 0.1 * variance)
        }
    }

    // MARK: - Blobs

    @Test(arguments: [(200, 3, 2), (10, 4, 5), (7, 7, 1)])
    func blobsShapeAndBalance(samples: Int, classes: Int, inputs: Int) {
        let data = DataGenerator.blobs(samples: samples, classes: classes, inputs: inputs, noise: 0.1, seed: 5)
        #expect(data.inputs.rows == samples && data.inputs.columns == inputs)
        #expect(data.targets.rows == samples && data.targets.columns == classes)
        #expect(data.classNames == (0..<classes).map(String.init))
        let counts = data.targets.columnSums()
        #expect(counts.reduce(0, +) == Double(samples))
        #expect(counts.allSatisfy { $0 == Double(samples / classes) || $0 == Double(samples / classes + 1) })
        for row in 0..<samples {
            #expect(data.targets.row(row).filter { $0 == 1 }.count == 1)
            #expect(data.targets.row(row).filter { $0 == 0 }.count == classes - 1)
        }
    }

    @Test func blobsClusterAroundSeparatedCentres() {
        let data = DataGenerator.blobs(samples: 3000, classes: 4, noise: 0.05, seed: 6)
        var centres: [[Double]] = []
        for k in 0..<4 {
            let rows = (0..<data.sampleCount).filter { data.targets[$0, k] == 1 }
            let centre = (0..<2).map { c in rows.map { data.inputs[$0, c] }.reduce(0, +) / Double(rows.count) }
            #expect(centre.allSatisfy { abs($0) <= 1.01 })
            for row in rows {
                let spread = zip(data.inputs.row(row), centre).map { abs($0 - $1) }.max()!
                #expect(spread < 0.05 * 6)
            }
            centres.append(centre)
        }
        for a in 0..<4 {
            for b in (a + 1)..<4 {
                let gap = zip(centres[a], centres[b]).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
                #expect(gap > DataGenerator.minimumBlobSeparation - 0.02)
            }
        }
    }

    @Test func blobsDeterminism() {
        let first = DataGenerator.blobs(samples: 50, classes: 3, noise: 0.1, seed: 1)
        #expect(first == DataGenerator.blobs(samples: 50, classes: 3, noise: 0.1, seed: 1))
        #expect(first.inputs != DataGenerator.blobs(samples: 50, classes: 3, noise: 0.1, seed: 2).inputs)
    }

    @Test func blobsEndEvenWhenCentresCannotBeSeparated() {
        // 60 centres at least 0.5 apart do not fit in the 2×2 square: the search gives up, and ends.
        let data = DataGenerator.blobs(samples: 60, classes: 60, noise: 0.1, seed: 1)
        #expect(data.targets.columnSums().allSatisfy { $0 == 1 })
    }

    // MARK: - Regression

    @Test func sineFollowsTheSine() {
        let data = DataGenerator.sine(samples: 500, noise: 0, seed: 3)
        #expect(data.inputs.columns == 1 && data.targets.columns == 1 && data.sampleCount == 500)
        #expect(data.classNames.isEmpty && !data.isClassification)
        #expect(data.inputs.storage.allSatisfy { $0 >= -Double.pi && $0 < Double.pi })
        #expect(data.inputs.storage.min()! < -3 && data.inputs.storage.max()! > 3)
        for row in 0..<500 {
            #expect(abs(data.targets[row, 0] - sin(data.inputs[row, 0])) < 1e-12)
        }
        let noisy = DataGenerator.sine(samples: 500, noise: 0.1, seed: 3)
        #expect(noisy.inputs == data.inputs)
        let residuals = (0..<500).map { noisy.targets[$0, 0] - sin(noisy.inputs[$0, 0]) }
        #expect(residuals.map(abs).max()! > 0.1 && residuals.map(abs).max()! < 0.6)
    }

    @Test(arguments: [1, 3, 7])
    func linearFollowsItsDocumentedWeights(inputs: Int) {
        let data = DataGenerator.linear(samples: 100, inputs: inputs, noise: 0, seed: 8)
        #expect(data.inputs.columns == inputs && data.targets.columns == 1 && !data.isClassification)
        let weights = DataGenerator.linearWeights(inputs: inputs)
        #expect(Array(weights.prefix(5)) == Array([2, -3, 0.5, 1, -1.5].prefix(inputs)))
        if inputs == 7 { #expect(weights[5] == 2 && weights[6] == -3) }
        #expect(data.inputs.storage.allSatisfy { $0 >= -1 && $0 < 1 })
        for row in 0..<100 {
            let expected = zip(weights, data.inputs.row(row)).reduce(DataGenerator.linearBias) { $0 + $1.0 * $1.1 }
            #expect(abs(data.targets[row, 0] - expected) < 1e-12)
        }
    }

    // MARK: - Random

    @Test func randomShapeRangeAndLabels() {
        let data = DataGenerator.random(samples: 3000, inputs: 5, classes: 3, seed: 1)
        #expect(data.inputs.rows == 3000 && data.inputs.columns == 5)
        #expect(data.targets.rows == 3000 && data.targets.columns == 3)
        #expect(data.classNames == ["0", "1", "2"])
        #expect(data.inputs.storage.allSatisfy { $0 >= 0 && $0 < 1 })
        let mean = data.inputs.storage.reduce(0, +) / Double(data.inputs.count)
        #expect(abs(mean - 0.5) < 0.02)
        #expect(data.targets.columnSums().allSatisfy { abs($0 - 1000) < 100 })
        #expect(data.targets.storage.reduce(0, +) == 3000)
        #expect(data == DataGenerator.random(samples: 3000, inputs: 5, classes: 3, seed: 1))
        #expect(data.inputs != DataGenerator.random(samples: 3000, inputs: 5, classes: 3, seed: 2).inputs)
    }
}
