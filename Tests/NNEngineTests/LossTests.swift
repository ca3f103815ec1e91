import Foundation
import Testing
import NNEngine

@Suite("Loss")
struct LossTests {
    static let all: [Loss] = [.sse, .mse, .crossEntropy, .binaryCrossEntropy, .huber(delta: 1), .pseudoHuber(delta: 1)]

    // MARK: - Names

    @Test func namesRoundTrip() {
        #expect(Loss.names.count == 6)
        #expect(Self.all.map(\.name) == Loss.names)
        for loss in Self.all {
            #expect(Loss(name: loss.name) == loss)
        }
        #expect(Loss(name: "mae") == nil)
    }

    @Test func deltaDefaultsAndOverrides() {
        #expect(Loss(name: "huber", delta: 0.5) == .huber(delta: 0.5))
        #expect(Loss(name: "pseudo_huber", delta: 2) == .pseudoHuber(delta: 2))
        #expect(Loss(name: "huber", delta: 0) == nil)
        #expect(Loss(name: "huber", delta: -1) == nil)
        #expect(Loss(name: "huber", delta: .infinity) == nil)
        #expect(Loss(name: "sse", delta: 3) == .sse)
        #expect(Loss.takesDelta(name: "huber") && !Loss.takesDelta(name: "mse"))
        #expect(Loss.huber(delta: 0.25).delta == 0.25 && Loss.sse.delta == nil)
    }

    // MARK: - Values at hand-computed points

    struct ValueCase: Sendable, CustomStringConvertible {
        var loss: Loss, output: [[Double]], target: [[Double]], expected: Double
        var description: String { "\(loss.name) of \(output) against \(target)" }
    }

    static let valueCases: [ValueCase] = [
        // Mazur's worked example: E_total after the first forward pass.
        ValueCase(loss: .sse, output: [[0.75136507, 0.772928465]], target: [[0.01, 0.99]], expected: 0.298371109),
        // Averaged over samples: (½(1+4) + ½(0+9)) / 2.
        ValueCase(loss: .sse, output: [[1, 2], [3, 4]], target: [[0, 0], [3, 1]], expected: 3.5),
        ValueCase(loss: .mse, output: [[1, 2], [3, 4]], target: [[0, 0], [3, 1]], expected: 3.5),
        ValueCase(loss: .mse, output: [[0.5]], target: [[0.2]], expected: 0.09),
        // −(log 0.7 + log 0.5) / 2.
        ValueCase(loss: .crossEntropy, output: [[0.2, 0.7, 0.1], [0.5, 0.25, 0.25]], target: [[0, 1, 0], [1, 0, 0]],
                  expected: 0.5249110622493389),
        // −[0.3 log 0.8 + 0.7 log 0.2] for one output.
        ValueCase(loss: .binaryCrossEntropy, output: [[0.8]], target: [[0.3]], expected: 1.193549604098133),
        // Inside δ: ½·0.5²; outside: 1·(2 − ½); mean of the two.
        ValueCase(loss: .huber(delta: 1), output: [[0.5, 3]], target: [[0, 1]], expected: 0.8125),
        ValueCase(loss: .huber(delta: 0.5), output: [[-1]], target: [[1]], expected: 0.875),
        // δ²(√(1 + (r/δ)²) − 1) with δ = 2, r = 2: 4(√2 − 1).
        ValueCase(loss: .pseudoHuber(delta: 2), output: [[3]], target: [[1]], expected: 1.6568542494923806),
    ]

    @Test(arguments: valueCases)
    func valueAtHandComputedPoint(_ testCase: ValueCase) {
        let value = testCase.loss.value(output: Matrix(testCase.output), target: Matrix(testCase.target))
        #expect(abs(value - testCase.expected) <= 1e-9)
    }

    @Test(arguments: [Loss.crossEntropy, .binaryCrossEntropy])
    func probabilitiesOfZeroAndOneStayFinite(_ loss: Loss) {
        let output = Matrix([[0, 1], [1, 0]])
        for target in [Matrix([[1, 0], [0, 1]]), Matrix([[0, 1], [1, 0]]), Matrix([[0.5, 0.5], [0.5, 0.5]])] {
            #expect(loss.value(output: output, target: target).isFinite)
            #expect(loss.gradient(output: output, target: target).isFinite)
        }
        // A certain wrong answer costs −log ε ≈ 34.5 per sample, not infinity.
        let wrong = loss.value(output: Matrix([[0, 1]]), target: Matrix([[1, 0]]))
        #expect(wrong > 30 && wrong < 80)
    }

    // MARK: - Gradients

    @Test(arguments: all + [.huber(delta: 0.3), .pseudoHuber(delta: 0.4)])
    func gradientMatchesCentralDifferences(_ loss: Loss) {
        var generator = SeededGenerator(seed: 2024)
        let output: Matrix
        let target: Matrix
        switch loss {
        case .crossEntropy:
            output = TestSupport.randomMatrix(rows: 3, columns: 4, 0.05, 0.95, generator: &generator)
            target = TestSupport.randomOneHot(rows: 3, columns: 4, generator: &generator)
        case .binaryCrossEntropy:
            output = TestSupport.randomMatrix(rows: 3, columns: 4, 0.05, 0.95, generator: &generator)
            target = TestSupport.randomMatrix(rows: 3, columns: 4, 0, 1, generator: &generator)
        default:
            output = TestSupport.randomMatrix(rows: 3, columns: 4, -2, 2, generator: &generator)
            target = TestSupport.randomMatrix(rows: 3, columns: 4, -2, 2, generator: &generator)
        }
        let analytic = loss.gradient(output: output, target: target)
        let numeric = TestSupport.centralDifferences(of: output) { loss.value(output: $0, target: target) }
        #expect(TestSupport.isClose(analytic, numeric, relative: 1e-6, absolute: 1e-10))
        #expect(TestSupport.largestMagnitude(analytic) > 1e-3, "gradient is all zero")
    }

    @Test func averagingFactorsDiffer() {
        // Two samples, two outputs, every residual 1: sse halves per sample, mse does not.
        let output = Matrix([[1, 1], [1, 1]])
        let target = Matrix(rows: 2, columns: 2)
        #expect(Loss.sse.value(output: output, target: target) == 1)
        #expect(Loss.mse.value(output: output, target: target) == 1)
        #expect(Loss.sse.gradient(output: output, target: target) == Matrix(rows: 2, columns: 2, repeating: 0.5))
        #expect(Loss.mse.gradient(output: output, target: target) == Matrix(rows: 2, columns: 2, repeating: 0.5))
        #expect(Loss.sse.value(output: Matrix([[1, 1]]), target: Matrix([[0, 0]])) == 1)
        #expect(Loss.mse.value(output: Matrix([[1, 1]]), target: Matrix([[0, 0]])) == 1)
        #expect(Loss.sse.value(output: Matrix([[2, 0]]), target: Matrix([[0, 0]])) == 2)
        #expect(Loss.mse.value(output: Matrix([[2, 0]]), target: Matrix([[0, 0]])) == 2)
        #expect(Loss.sse.value(output: Matrix([[2]]), target: Matrix([[0]])) == 2)
        #expect(Loss.mse.value(output: Matrix([[2]]), target: Matrix([[0]])) == 4)
    }
}
