import NNEngine
import Testing
@testable import NNLang

@Suite("Parameter references")
struct ParameterReferenceTests {
    /// A network of the given sizes (inputs first) whose weights are 1, 2, 3, … in numbering order.
    static func network(_ sizes: [Int]) -> Network {
        var network = Network(inputCount: sizes[0])
        var next = 1.0
        for units in sizes.dropFirst() {
            let inputs = network.outputCount
            var weights = Matrix(rows: units, columns: inputs)
            for index in 0..<weights.count {
                weights.storage[index] = next
                next += 1
            }
            network.layers.append(DenseLayer(weights: weights, biases: (1...units).map { -Double($0) }, activation: .sigmoid))
        }
        return network
    }

    static let splitCases: [(name: String, family: ParameterReference.Family?, number: Int?)] = [
        ("w5", .numberedWeight, 5), ("W12", .weightMatrix, 12), ("b1", .biasVector, 1), ("w123456789", .numberedWeight, 123_456_789),
        ("w0", .numberedWeight, 0), ("w05", nil, nil), ("W", nil, nil), ("w1a", nil, nil), ("x1", nil, nil), ("B1", nil, nil),
        ("w1234567890", nil, nil), ("b_1", nil, nil), ("rate", nil, nil), ("", nil, nil),
    ]

    @Test(arguments: splitCases)
    func split(_ testCase: (name: String, family: ParameterReference.Family?, number: Int?)) {
        let split = ParameterReference.split(testCase.name)
        #expect(split?.family == testCase.family)
        #expect(split?.number == testCase.number)
    }

    static let syntaxCases: [(source: String, isParameter: Bool)] = [
        ("w5", true), ("W2", true), ("b1", true), ("W2[1,2]", true), ("b1[2]", true),
        ("w5[1]", false), ("x", false), ("x[1]", false), ("1", false), ("-w5", false), ("grad(w5)", false), ("(w5)", true),
    ]

    @Test(arguments: syntaxCases)
    func parameterSyntax(_ testCase: (source: String, isParameter: Bool)) throws {
        let statement = try #require(Parser.parse(testCase.source).statements.first)
        guard case .expression(let expression) = statement.kind else {
            Issue.record("not an expression: \(testCase.source)")
            return
        }
        #expect(ParameterReference.isParameterSyntax(expression) == testCase.isParameter)
    }

    static let resolveCases: [(name: String, indices: [Int]?, reference: ParameterReference, value: Value)] = [
        // w1…w8 of a 2-2-2 network, layer by layer, row by row.
        ("w1", nil, .weight(layer: 1, row: 1, column: 1), .scalar(1)),
        ("w2", nil, .weight(layer: 1, row: 1, column: 2), .scalar(2)),
        ("w3", nil, .weight(layer: 1, row: 2, column: 1), .scalar(3)),
        ("w4", nil, .weight(layer: 1, row: 2, column: 2), .scalar(4)),
        ("w5", nil, .weight(layer: 2, row: 1, column: 1), .scalar(5)),
        ("w6", nil, .weight(layer: 2, row: 1, column: 2), .scalar(6)),
        ("w7", nil, .weight(layer: 2, row: 2, column: 1), .scalar(7)),
        ("w8", nil, .weight(layer: 2, row: 2, column: 2), .scalar(8)),
        ("W1", nil, .weights(layer: 1), .matrix(Matrix([[1, 2], [3, 4]]))),
        ("W2", nil, .weights(layer: 2), .matrix(Matrix([[5, 6], [7, 8]]))),
        ("b2", nil, .biases(layer: 2), .vector([-1, -2])),
        ("W2[1,2]", [1, 2], .weight(layer: 2, row: 1, column: 2), .scalar(6)),
        ("W2[2,1]", [2, 1], .weight(layer: 2, row: 2, column: 1), .scalar(7)),
        ("b1[2]", [2], .bias(layer: 1, index: 2), .scalar(-2)),
    ]

    @Test(arguments: resolveCases)
    func resolve(_ testCase: (name: String, indices: [Int]?, reference: ParameterReference, value: Value)) throws {
        let network = Self.network([2, 2, 2])
        let name = String(testCase.name.prefix { $0 != "[" })
        let reference = try ParameterReference.resolve(name: name, indices: testCase.indices, in: network)
        #expect(reference == testCase.reference)
        #expect(reference.value(in: network) == testCase.value)
    }

    static let resolveErrorCases: [(sizes: [Int], name: String, indices: [Int]?, message: String)] = [
        ([2, 2, 2], "w9", nil, "no weight w9: this network has weights w1 to w8"),
        ([2, 2, 2], "w5", [1], "w5 takes 0 indices, got 1"),
        ([2, 2, 2], "W3", nil, "no parameter 'W3': the network has layers 1 to 2"),
        ([2, 2, 2], "b3", nil, "no parameter 'b3': the network has layers 1 to 2"),
        ([3, 1], "W2", nil, "no parameter 'W2': the network has 1 layer"),
        ([3], "W1", nil, "'W1' needs at least one layer: add one with 'layer N ACTIVATION'"),
        ([3], "w1", nil, "'w1' needs at least one layer: add one with 'layer N ACTIVATION'"),
        ([2, 2, 2], "W2", [1, 3], "index [1,3] is out of range for W2, a 2×2 matrix"),
        ([2, 3, 2], "W1", [4, 1], "index [4,1] is out of range for W1, a 3×2 matrix"),
        ([2, 2, 2], "W2", [1], "W2 takes 2 indices, got 1"),
        ([2, 2, 2], "b1", [3], "index [3] is out of range for b1, a vector of 2"),
        ([2, 2, 2], "b1", [1, 1], "b1 takes 1 index, got 2"),
        ([2, 2, 2], "rate", nil, "unknown name 'rate'"),
    ]

    @Test(arguments: resolveErrorCases)
    func resolveErrors(_ testCase: (sizes: [Int], name: String, indices: [Int]?, message: String)) {
        do {
            let reference = try ParameterReference.resolve(name: testCase.name, indices: testCase.indices, in: Self.network(testCase.sizes))
            Issue.record("resolved to \(reference)")
        } catch {
            #expect(error.message == testCase.message)
        }
    }

    @Test(arguments: [
        (ParameterReference.weights(layer: 2), "W2"), (.biases(layer: 1), "b1"),
        (.weight(layer: 2, row: 1, column: 2), "W2[1,2]"), (.bias(layer: 3, index: 4), "b3[4]"),
    ])
    func names(_ testCase: (reference: ParameterReference, name: String)) {
        #expect(testCase.reference.name() == testCase.name)
    }

    static let assignCases: [(reference: ParameterReference, value: Value, after: Value)] = [
        (.weight(layer: 1, row: 2, column: 1), .scalar(0.5), .scalar(0.5)),
        (.bias(layer: 2, index: 2), .scalar(0.5), .scalar(0.5)),
        (.weights(layer: 1), .scalar(0.5), .matrix(Matrix([[0.5, 0.5], [0.5, 0.5]]))),
        (.biases(layer: 1), .scalar(0.35), .vector([0.35, 0.35])),
        (.weights(layer: 2), .matrix(Matrix([[0.4, 0.45], [0.5, 0.55]])), .matrix(Matrix([[0.4, 0.45], [0.5, 0.55]]))),
        (.biases(layer: 2), .vector([0.6, 0.7]), .vector([0.6, 0.7])),
    ]

    @Test(arguments: assignCases)
    func assign(_ testCase: (reference: ParameterReference, value: Value, after: Value)) throws {
        var network = Self.network([2, 2, 2])
        let before = network
        try testCase.reference.assign(testCase.value, in: &network, name: testCase.reference.name())
        #expect(testCase.reference.value(in: network) == testCase.after)
        // Nothing else changed.
        try testCase.reference.assign(testCase.reference.value(in: before), in: &network, name: "")
        #expect(network == before)
    }

    @Test func aOneUnitLayerTakesAVectorAsItsWeights() throws {
        var network = Self.network([3, 1])
        try ParameterReference.weights(layer: 1).assign(.vector([7, 8, 9]), in: &network, name: "W1")
        #expect(network.layers[0].weights == Matrix([[7, 8, 9]]))
    }

    static let assignErrorCases: [(reference: ParameterReference, name: String, value: Value, message: String)] = [
        (.weights(layer: 1), "W1", .matrix(Matrix([[1, 2, 3]])), "cannot assign a 1×3 matrix to W1, which is a 2×2 matrix"),
        (.weights(layer: 1), "W1", .vector([1, 2]), "cannot assign a vector of 2 to W1, which is a 2×2 matrix"),
        (.biases(layer: 1), "b1", .vector([1, 2, 3]), "cannot assign a vector of 3 to b1, which is a vector of 2"),
        (.biases(layer: 1), "b1", .matrix(Matrix([[1, 2]])), "cannot assign a 1×2 matrix to b1, which is a vector of 2"),
        (.weight(layer: 2, row: 1, column: 1), "w5", .vector([1, 2]), "cannot assign a vector of 2 to w5, which is a scalar"),
        (.bias(layer: 1, index: 1), "b1[1]", .text("x"), "cannot assign a string to b1[1], which is a scalar"),
    ]

    @Test(arguments: assignErrorCases)
    func assignErrors(_ testCase: (reference: ParameterReference, name: String, value: Value, message: String)) {
        var network = Self.network([2, 2, 2])
        let before = network
        do {
            try testCase.reference.assign(testCase.value, in: &network, name: testCase.name)
            Issue.record("assigned \(testCase.value)")
        } catch {
            #expect(error.message == testCase.message)
        }
        #expect(network == before)
    }
}
