import Foundation
import Testing
import NNEngine

@Suite("Activation")
struct ActivationTests {
    static let all: [Activation] = [
        .linear, .step, .sign, .piecewiseLinear, .sigmoid, .tanh, .relu,
        .leakyRelu(alpha: 0.01), .elu(alpha: 1), .softplus, .softmax,
    ]

    /// Activations with a derivative that is nonzero somewhere.
    static let differentiable: [Activation] = [
        .linear, .piecewiseLinear, .sigmoid, .tanh, .relu,
        .leakyRelu(alpha: 0.01), .leakyRelu(alpha: 0.3), .elu(alpha: 1), .elu(alpha: 0.5), .softplus,
    ]

    static let points: [Double] = [-30, -4, -1.5, -0.75, -0.5, -0.3, -1e-3, 0, 1e-3, 0.2, 0.5, 0.9, 2.5, 7, 30]

    // MARK: - Names

    @Test func namesRoundTrip() {
        #expect(Activation.names.count == 11)
        #expect(Self.all.map(\.name) == Activation.names)
        for activation in Self.all {
            #expect(Activation(name: activation.name) == activation)
        }
        #expect(Activation(name: "sigmod") == nil)
        #expect(Activation(name: "Sigmoid") == nil)
    }

    @Test func alphaDefaultsAndOverrides() {
        #expect(Activation(name: "leaky_relu") == .leakyRelu(alpha: 0.01))
        #expect(Activation(name: "elu") == .elu(alpha: 1))
        #expect(Activation(name: "leaky_relu", alpha: 0.2) == .leakyRelu(alpha: 0.2))
        #expect(Activation(name: "elu", alpha: 2) == .elu(alpha: 2))
        #expect(Activation(name: "elu", alpha: .nan) == nil)
        #expect(Activation(name: "relu", alpha: 0.2) == .relu)
        #expect(Activation.takesAlpha(name: "elu") && Activation.takesAlpha(name: "leaky_relu"))
        #expect(!Activation.takesAlpha(name: "relu"))
        #expect(Activation.elu(alpha: 3).alpha == 3 && Activation.relu.alpha == nil)
    }

    @Test func onlySoftmaxIsNotElementwise() {
        #expect(Self.all.filter { !$0.isElementwise } == [.softmax])
    }

    // MARK: - Values

    struct ValueCase: Sendable, CustomStringConvertible {
        var activation: Activation, z: Double, expected: Double
        var description: String { "\(activation.name)(\(z))" }
    }

    static let valueCases: [ValueCase] = [
        ValueCase(activation: .linear, z: -2.5, expected: -2.5),
        ValueCase(activation: .step, z: -0.1, expected: 0),
        ValueCase(activation: .step, z: 0, expected: 0.5),
        ValueCase(activation: .step, z: 0.1, expected: 1),
        ValueCase(activation: .sign, z: -3, expected: -1),
        ValueCase(activation: .sign, z: 0, expected: 0),
        ValueCase(activation: .sign, z: 0.2, expected: 1),
        ValueCase(activation: .piecewiseLinear, z: -0.7, expected: 0),
        ValueCase(activation: .piecewiseLinear, z: -0.5, expected: 0),
        ValueCase(activation: .piecewiseLinear, z: 0.25, expected: 0.75),
        ValueCase(activation: .piecewiseLinear, z: 0.5, expected: 1),
        ValueCase(activation: .piecewiseLinear, z: 3, expected: 1),
        ValueCase(activation: .sigmoid, z: 0, expected: 0.5),
        ValueCase(activation: .sigmoid, z: 0.3775, expected: 0.593269992107187),
        ValueCase(activation: .sigmoid, z: -1000, expected: 0),
        ValueCase(activation: .sigmoid, z: 1000, expected: 1),
        ValueCase(activation: .tanh, z: 0.5, expected: 0.46211715726000974),
        ValueCase(activation: .relu, z: -2, expected: 0),
        ValueCase(activation: .relu, z: 2, expected: 2),
        ValueCase(activation: .leakyRelu(alpha: 0.1), z: -2, expected: -0.2),
        ValueCase(activation: .leakyRelu(alpha: 0.1), z: 2, expected: 2),
        ValueCase(activation: .elu(alpha: 2), z: -1, expected: 2 * (exp(-1) - 1)),
        ValueCase(activation: .elu(alpha: 2), z: 1.5, expected: 1.5),
        ValueCase(activation: .softplus, z: 0, expected: log(2)),
        ValueCase(activation: .softplus, z: 1, expected: 1.3132616875182228),
        ValueCase(activation: .softplus, z: 1000, expected: 1000),
        ValueCase(activation: .softplus, z: -1000, expected: 0),
        ValueCase(activation: .softmax, z: 3.7, expected: 1),
    ]

    @Test(arguments: valueCases)
    func valueAtHandComputedPoint(_ testCase: ValueCase) {
        let value = testCase.activation.value(testCase.z)
        #expect(value.isFinite)
        #expect(abs(value - testCase.expected) <= 1e-14)
    }

    // MARK: - Derivatives

    /// Where the activation has a kink or jump that a central difference would straddle.
    static func kinks(of activation: Activation) -> [Double] {
        switch activation {
        case .piecewiseLinear: [-0.5, 0.5]
        case .step, .sign, .relu, .leakyRelu, .elu: [0]
        default: []
        }
    }

    @Test(arguments: differentiable)
    func derivativeMatchesCentralDifferences(_ activation: Activation) {
        var checked = 0
        var sawNonzero = false
        for z in Self.points where !Self.kinks(of: activation).contains(where: { abs($0 - z) < 1e-4 }) {
            let analytic = activation.derivative(z)
            let numeric = TestSupport.centralDifference(at: z, step: 1e-6) { activation.value($0) }
            #expect(TestSupport.isClose(analytic, numeric, relative: 1e-6, absolute: 1e-9),
                    "\(activation.name)'(\(z)) = \(analytic), central difference \(numeric)")
            checked += 1
            if abs(analytic) > 1e-3 { sawNonzero = true }
        }
        #expect(checked >= 10)
        #expect(sawNonzero, "every derivative checked was zero")
    }

    @Test(arguments: [Activation.step, .sign, .softmax])
    func flatActivationsHaveZeroDerivative(_ activation: Activation) {
        for z in Self.points {
            #expect(activation.derivative(z) == 0)
        }
    }

    @Test(arguments: all.filter(\.isElementwise))
    func backwardIsGradientTimesDerivative(_ activation: Activation) {
        var generator = SeededGenerator(seed: 7)
        let z = TestSupport.randomMatrix(rows: 3, columns: 4, -3, 3, generator: &generator)
        let outputGradient = TestSupport.randomMatrix(rows: 3, columns: 4, generator: &generator)
        let backward = activation.backward(net: z, output: activation.apply(z), outputGradient: outputGradient)
        let expected = outputGradient * z.map(activation.derivative)
        #expect(TestSupport.isClose(backward, expected, relative: 1e-12, absolute: 1e-15))
        #expect(activation.apply(z) == z.map(activation.value))
    }

    // MARK: - Softmax

    @Test func softmaxRowsAreDistributions() {
        let z = Matrix([[1, 2, 3], [1000, 1001, 1002], [-1000, 0, -1000]])
        let a = Activation.softmax.apply(z)
        #expect(a.isFinite)
        for r in 0..<a.rows {
            #expect(abs(a.row(r).reduce(0, +) - 1) <= 1e-15)
        }
        // Shifting a row leaves softmax unchanged, which is why subtracting the maximum is safe.
        for c in 0..<3 {
            #expect(abs(a[0, c] - a[1, c]) <= 1e-15)
        }
        #expect(abs(a[0, 2] - 0.6652409557748219) <= 1e-15)
        #expect(abs(a[2, 1] - 1) <= 1e-15)
    }

    @Test func softmaxBackwardMatchesCentralDifferences() {
        var generator = SeededGenerator(seed: 11)
        let z = TestSupport.randomMatrix(rows: 3, columns: 4, -2, 2, generator: &generator)
        let g = TestSupport.randomMatrix(rows: 3, columns: 4, generator: &generator)
        // With L = Σ g ⊙ softmax(Z), ∂L/∂A = g, so ∂L/∂Z is the Jacobian-vector product.
        let analytic = Activation.softmax.backward(net: z, output: Activation.softmax.apply(z), outputGradient: g)
        let numeric = TestSupport.centralDifferences(of: z) { (Activation.softmax.apply($0) * g).sum() }
        #expect(TestSupport.isClose(analytic, numeric, relative: 1e-6, absolute: 1e-10))
        #expect(TestSupport.largestMagnitude(analytic) > 1e-2)
    }
}
