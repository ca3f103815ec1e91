import Testing
import NNEngine

/// Class labels encoded for an output layer: a 0/1 column for one unit, one-hot rows for one
/// unit per class, and nothing else.
@Suite("Class encoding")
struct ClassEncodingTests {
    static let inputs = Matrix([[0], [1], [2], [3]])

    @Test func aZeroOneColumnBecomesOneHotForTwoUnits() throws {
        let data = DataSet(inputs: Self.inputs, targets: Matrix(column: [0, 1, 1, 0]), classNames: ["no", "yes"])
        #expect(data.fittingOutputCounts == [1, 2])
        #expect(data.encodingClasses(forOutputs: 1) == data)
        let encoded = try #require(data.encodingClasses(forOutputs: 2))
        #expect(encoded.targets == Matrix([[1, 0], [0, 1], [0, 1], [1, 0]]))
        #expect(encoded.classNames == ["no", "yes"])
        #expect(encoded.inputs == Self.inputs)
        #expect(data.encodingClasses(forOutputs: 3) == nil)
    }

    @Test func twoOneHotColumnsBecomeAZeroOneColumnForOneUnit() throws {
        let data = DataSet(inputs: Self.inputs, targets: Matrix([[1, 0], [0, 1], [0, 1], [1, 0]]), classNames: ["x", "y"])
        #expect(try #require(data.encodingClasses(forOutputs: 1)).targets == Matrix(column: [0, 1, 1, 0]))
        #expect(data.encodingClasses(forOutputs: 2) == data)
    }

    @Test func threeClassesFitOnlyThreeUnits() {
        let data = DataSet(inputs: Self.inputs, targets: Matrix([[1, 0, 0], [0, 0, 1], [0, 1, 0], [1, 0, 0]]), classNames: ["a", "b", "c"])
        #expect(data.fittingOutputCounts == [3])
        #expect(data.encodingClasses(forOutputs: 3) == data)
        for outputs in [1, 2, 4] { #expect(data.encodingClasses(forOutputs: outputs) == nil, "\(outputs) outputs") }
    }

    @Test func targetsThatAreNotLabelsKeepTheirShape() {
        let regression = DataSet(inputs: Self.inputs, targets: Matrix(column: [0.5, 1, 2, 3]))
        #expect(!regression.hasClassLabels)
        #expect(regression.fittingOutputCounts.isEmpty)
        #expect(regression.encodingClasses(forOutputs: 2) == nil)
        let typed = DataSet(inputs: Self.inputs, targets: Matrix(column: [0, 1, 1, 0]), classNames: ["0", "1"], hasClassLabels: false)
        #expect(typed.isClassification)
        #expect(typed.encodingClasses(forOutputs: 2) == nil)
    }

    @Test func aSubsetKeepsItsLabels() {
        let data = DataGenerator.moons(samples: 10, seed: 1)
        #expect(data.hasClassLabels)
        #expect(data.subset([0, 2]).hasClassLabels)
    }

    /// Every generated classification set can be encoded for one unit per class, and the
    /// classes survive the round trip.
    @Test(arguments: ["xor", "circles", "moons", "spirals", "gaussians", "blobs", "random"])
    func everyGeneratedClassSetFitsOneUnitPerClass(_ name: String) throws {
        let data: DataSet = switch name {
        case "xor": DataGenerator.truthTable(.xor)
        case "circles": DataGenerator.circles(samples: 20, seed: 1)
        case "moons": DataGenerator.moons(samples: 20, seed: 1)
        case "spirals": DataGenerator.spirals(samples: 20, seed: 1)
        case "gaussians": DataGenerator.gaussians(samples: 20, seed: 1)
        case "blobs": DataGenerator.blobs(samples: 20, classes: 4, seed: 1)
        default: DataGenerator.random(samples: 20, inputs: 2, classes: 2, seed: 1)
        }
        let classCount = data.classNames.count
        let oneHot = try #require(data.encodingClasses(forOutputs: classCount))
        #expect(oneHot.targets.columns == classCount)
        #expect(Metrics.trueClasses(targets: oneHot.targets) == Metrics.trueClasses(targets: data.targets))
        if classCount == 2 {
            let column = try #require(data.encodingClasses(forOutputs: 1))
            #expect(column.targets.columns == 1)
            #expect(Metrics.trueClasses(targets: column.targets) == Metrics.trueClasses(targets: data.targets))
        }
    }

    @Test func oneHotRowsHaveAOneInTheLabelsColumn() {
        #expect(ClassEncoding.oneHot([0, 2, 1], classCount: 3) == Matrix([[1, 0, 0], [0, 0, 1], [0, 1, 0]]))
        #expect(ClassEncoding.oneHot([], classCount: 2) == Matrix(rows: 0, columns: 2))
    }

    @Test func numericLabelsAreClassesSortedByValue() {
        let (names, indices) = ClassEncoding.classes(ofNumericLabels: [10, 2, 2, -1, 3.0])
        #expect(names == ["-1", "2", "3", "10"])
        #expect(indices == [3, 1, 1, 0, 2])
        #expect(ClassEncoding.name(ofNumericLabel: 2.5) == "2.5")
    }
}
