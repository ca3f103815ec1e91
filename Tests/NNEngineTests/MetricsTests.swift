import Testing
import NNEngine

@Suite("Metrics")
struct MetricsTests {
    static let threeClassOutputs = Matrix([[0.1, 0.7, 0.2], [0.5, 0.2, 0.3], [0.3, 0.3, 0.4], [0.4, 0.4, 0.2], [0.2, 0.5, 0.3]])
    static let threeClassTargets = Matrix([[0, 1, 0], [0, 0, 1], [0, 0, 1], [1, 0, 0], [1, 0, 0]])

    @Test func argMaxPerRowTakingTheFirstOnATie() {
        #expect(Metrics.predictedClasses(outputs: Self.threeClassOutputs) == [1, 0, 2, 0, 1])
        #expect(Metrics.trueClasses(targets: Self.threeClassTargets) == [1, 2, 2, 0, 0])
    }

    @Test func aSingleColumnIsThresholdedAboveOneHalf() {
        #expect(Metrics.predictedClasses(outputs: Matrix(column: [0.2, 0.5, 0.51, 0.9, -3])) == [0, 0, 1, 1, 0])
        #expect(Metrics.trueClasses(targets: Matrix(column: [0, 1, 1, 0])) == [0, 1, 1, 0])
    }

    @Test(arguments: [
        (threeClassOutputs, threeClassTargets, 3, 0.6),  // rows 0, 2 and 3 right
        (Matrix(column: [0.1, 0.9, 0.6, 0.4]), Matrix(column: [0, 1, 0, 0]), 3, 0.75),
        (Matrix(column: [0.9, 0.1]), Matrix(column: [0, 1]), 0, 0),
        (Matrix([[0.2, 0.8]]), Matrix([[0, 1]]), 1, 1),
    ])
    func accuracyIsTheFractionRight(_ example: (outputs: Matrix, targets: Matrix, correct: Int, accuracy: Double)) {
        #expect(Metrics.correctCount(outputs: example.outputs, targets: example.targets) == example.correct)
        #expect(Metrics.accuracy(outputs: example.outputs, targets: example.targets) == example.accuracy)
    }

    @Test func confusionMatrixRowsAreTrueClassesColumnsPredicted() {
        // (true, predicted): (1,1), (2,0), (2,2), (0,0), (0,1).
        #expect(Metrics.confusionMatrix(outputs: Self.threeClassOutputs, targets: Self.threeClassTargets, classCount: 3)
                == [[1, 1, 0], [0, 1, 0], [1, 0, 1]])
        // Two classes from one column: (0,0), (1,1), (0,1), (0,0), (1,0).
        let outputs = Matrix(column: [0.1, 0.9, 0.6, 0.4, 0.2])
        let targets = Matrix(column: [0, 1, 0, 0, 1])
        #expect(Metrics.confusionMatrix(outputs: outputs, targets: targets, classCount: 2) == [[2, 1], [1, 1]])
    }

    @Test(arguments: [
        (Matrix([[0, 1, 0], [1, 0, 0]]), true),
        (Matrix(column: [0, 1, 1]), true),
        (Matrix(column: [0, 0.5, 1]), false),  // regression
        (Matrix([[1, 1, 0]]), false),  // two hot
        (Matrix([[0, 0, 0]]), false),  // none hot
        (Matrix([[3.0]]), false),
    ])
    func classificationShapedTargets(_ example: (targets: Matrix, isClassification: Bool)) {
        #expect(Metrics.isClassification(targets: example.targets) == example.isClassification)
    }

    @Test func oneClassRuleForEveryKindOfRow() {
        #expect(Metrics.classIndex(of: [0.5]) == 0, "exactly one half is class 0, as Keras and scikit-learn decide")
        #expect(Metrics.classIndex(of: [Double(0.5).nextUp]) == 1)
        #expect(Metrics.classIndex(of: [Float(0.5)]) == 0 && Metrics.classIndex(of: [Float(0.5).nextUp]) == 1)
        #expect(Metrics.classIndex(of: [0.2, 0.4, 0.4]) == 1, "the first maximum wins")
        #expect(Metrics.classIndex(of: [0.3, 0.7]) == 1 && Metrics.classIndex(of: [0.7, 0.3]) == 0)
        #expect(Metrics.classIndex(of: [Double.nan]) == 0 && Metrics.classIndex(of: [.nan, 1, 2]) == 0)
        let row: [Float] = [0.1, 0.2, 0.9, 0.9]
        #expect(row.withUnsafeBufferPointer { Metrics.classIndex(of: $0) } == 2)
        #expect(Metrics.classIndex(of: [0.1, 0.2, 0.9, 0.9][1...]) == 1, "a slice counts from its own start")
    }

    /// A sigmoid output of exactly 0.5 (all parameters zero): the class rule, the metrics and
    /// both trainers' accuracies (the workspace in float64 and float32, and the reference)
    /// all call it class 0.
    @Test(arguments: [0.0, 1.0])
    func anOutputOfExactlyOneHalfIsClassZeroEverywhere(target: Double) {
        let network = Network(inputCount: 2, layers: [
            DenseLayer(weights: Matrix([[0, 0]]), biases: [0], activation: .sigmoid),
        ])
        let inputs = Matrix([[1, 2], [-3, 4]])
        let targets = Matrix(column: [target, target])
        let outputs = network.predict(inputs)
        #expect(outputs.storage == [0.5, 0.5])
        #expect(Metrics.classIndex(of: outputs.row(0)) == 0)
        let expected = target == 0 ? 1.0 : 0.0
        #expect(Metrics.accuracy(outputs: outputs, targets: targets) == expected)
        for precision in Precision.allCases {
            var trained = network
            let configuration = TrainingConfiguration(epochs: 1, learningRate: 0, measuresAccuracy: true, precision: precision)
            let report = Trainer.train(&trained, inputs: inputs, targets: targets, loss: .mse, configuration: configuration)
            #expect(report.history.first?.accuracy == expected, "\(precision)")
            #expect(report.finalAccuracy == expected, "\(precision)")
        }
        var reference = network
        var generator = SeededGenerator(seed: 0)
        let report = Trainer.referenceTrain(&reference, inputs: inputs, targets: targets, loss: .mse,
                                            configuration: TrainingConfiguration(epochs: 1, learningRate: 0, measuresAccuracy: true),
                                            generator: &generator)
        #expect(report.history.first?.accuracy == expected && report.finalAccuracy == expected)
    }
}
