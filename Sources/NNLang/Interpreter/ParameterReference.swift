import NNEngine

/// A reference to network parameters by their user-facing names.
///
/// `W1`…`WL` are the layers' weight matrices, `b1`…`bL` their bias vectors, `W2[i,j]` and
/// `b1[i]` single elements (1-based: row i is a neuron of that layer, column j its input), and
/// `w1`…`wN` single weights numbered across the network, layer by layer, row by row.
public enum ParameterReference: Equatable, Sendable {
    case weights(layer: Int)
    case biases(layer: Int)
    case weight(layer: Int, row: Int, column: Int)
    case bias(layer: Int, index: Int)

    /// The syntactic kinds of parameter name, before they are checked against a network.
    public enum Family: Character, Sendable {
        case weightMatrix = "W"
        case biasVector = "b"
        case numberedWeight = "w"
    }

    /// Splits `W12` into (`W`, 12); nil for names that are not parameter names.
    public static func split(_ name: String) -> (family: Family, number: Int)? {
        guard let first = name.first, let family = Family(rawValue: first) else { return nil }
        let digits = name.dropFirst()
        // W0 and w0 are parameter names too, so that they get "no such parameter" messages.
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
            digits.first != "0" || digits == "0", digits.count <= 9, let number = Int(digits)
        else { return nil }
        return (family, number)
    }

    /// Whether an expression is written as a parameter: `w5`, `W2`, `b1`, `W2[1,2]`, `b1[2]`.
    public static func isParameterSyntax(_ expression: Expression) -> Bool {
        switch expression.kind {
        case .name(let name): return split(name) != nil
        case .index(let name, _, _): return split(name).map { $0.family != .numberedWeight } ?? false
        default: return false
        }
    }

    /// The name as the user writes it: `W2`, `b1[2]`, `W2[1,2]`. Single weights print in matrix
    /// form; `label(for:)` keeps the user's own spelling where that matters.
    public var name: String {
        switch self {
        case .weights(let layer): return "W\(layer)"
        case .biases(let layer): return "b\(layer)"
        case .weight(let layer, let row, let column): return "W\(layer)[\(row),\(column)]"
        case .bias(let layer, let index): return "b\(layer)[\(index)]"
        }
    }

    /// Resolves a name with optional 1-based indices against a network.
    public static func resolve(name: String, indices: [Int]?, in network: Network) throws(Problem) -> ParameterReference {
        guard let (family, number) = split(name) else { throw Problem.unknownName(name, suggestion: nil) }
        let layerCount = network.layers.count
        guard layerCount > 0 else { throw Problem.noLayers(command: name) }
        switch family {
        case .numberedWeight:
            if indices != nil { throw Problem.wrongIndexCount(name: name, expected: 0, got: indices?.count ?? 0) }
            guard let location = network.weightLocation(number: number) else {
                throw Problem.weightNumberOutOfRange(number: number, weightCount: network.weightCount)
            }
            return .weight(layer: location.layer, row: location.row, column: location.column)
        case .weightMatrix, .biasVector:
            guard (1...layerCount).contains(number) else {
                throw Problem.layerCountOutOfRange(name: name, layerCount: layerCount)
            }
            let layer = network.layers[number - 1]
            guard let indices else { return family == .weightMatrix ? .weights(layer: number) : .biases(layer: number) }
            if family == .weightMatrix {
                let shape = "a \(layer.units)×\(layer.inputCount) matrix"
                guard indices.count == 2 else { throw Problem.wrongIndexCount(name: name, expected: 2, got: indices.count) }
                guard (1...layer.units).contains(indices[0]), (1...layer.inputCount).contains(indices[1]) else {
                    throw Problem.indexOutOfRange(name: name, index: Value.indexText(indices), shape: shape)
                }
                return .weight(layer: number, row: indices[0], column: indices[1])
            }
            guard indices.count == 1 else { throw Problem.wrongIndexCount(name: name, expected: 1, got: indices.count) }
            guard (1...layer.units).contains(indices[0]) else {
                throw Problem.indexOutOfRange(name: name, index: Value.indexText(indices), shape: "a vector of \(layer.units)")
            }
            return .bias(layer: number, index: indices[0])
        }
    }

    /// The parameter's current value in `network`.
    public func value(in network: Network) -> Value {
        switch self {
        case .weights(let layer): return .matrix(network.layers[layer - 1].weights)
        case .biases(let layer): return .vector(network.layers[layer - 1].biases)
        case .weight(let layer, let row, let column): return .scalar(network.layers[layer - 1].weights[row - 1, column - 1])
        case .bias(let layer, let index): return .scalar(network.layers[layer - 1].biases[index - 1])
        }
    }

    /// The same parameter's part of a gradient.
    public func value(in gradients: NetworkGradients) -> Value {
        switch self {
        case .weights(let layer): return .matrix(gradients.weights[layer - 1])
        case .biases(let layer): return .vector(gradients.biases[layer - 1])
        case .weight(let layer, let row, let column): return .scalar(gradients.weights[layer - 1][row - 1, column - 1])
        case .bias(let layer, let index): return .scalar(gradients.biases[layer - 1][index - 1])
        }
    }

    /// Writes `newValue` into `network`: a matching shape, or a scalar that fills a whole
    /// matrix or vector (`b1 = 0.35`).
    public func assign(_ newValue: Value, in network: inout Network, name: String) throws(Problem) {
        let current = value(in: network)
        switch (self, newValue) {
        case (.weight(let layer, let row, let column), .scalar(let number)):
            network.layers[layer - 1].weights[row - 1, column - 1] = number
        case (.bias(let layer, let index), .scalar(let number)):
            network.layers[layer - 1].biases[index - 1] = number
        case (.weights(let layer), .scalar(let number)):
            let weights = network.layers[layer - 1].weights
            network.layers[layer - 1].weights = Matrix(rows: weights.rows, columns: weights.columns, repeating: number)
        case (.biases(let layer), .scalar(let number)):
            network.layers[layer - 1].biases = [Double](repeating: number, count: network.layers[layer - 1].units)
        case (.weights(let layer), .matrix(let matrix)) where current.shapeDescription == newValue.shapeDescription:
            network.layers[layer - 1].weights = matrix
        case (.weights(let layer), .vector(let elements)) where network.layers[layer - 1].units == 1 && elements.count == network.layers[layer - 1].inputCount:
            network.layers[layer - 1].weights = Matrix(row: elements)  // a one-unit layer's single row
        case (.biases(let layer), .vector(let elements)) where elements.count == network.layers[layer - 1].units:
            network.layers[layer - 1].biases = elements
        default:
            throw Problem.assignmentShapeMismatch(name: name, expected: current.shapeDescription, got: newValue.shapeDescription)
        }
    }
}
