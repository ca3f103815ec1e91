import NNEngine

/// A reference to network parameters by their user-facing names.
///
/// `W1`…`WL` are the layers' weight matrices, `b1`…`bL` their bias vectors, `W2[i,j]` and
/// `b1[i]` single elements (1-based), and `w1`…`wN` single weights numbered across the network,
/// layer by layer, unit by unit, whatever the convention. A batch-normalized layer L also has
/// `gammaL` and `betaL`, its γ and β (vectors of its units, like `bL`), and their elements `gammaL[i]`.
///
/// The cases hold the network's own coordinates (`row` a unit of the layer, `column` its input);
/// the `WeightConvention` decides how the user's `W2[i,j]` and `W2` map onto them: in `columns`
/// W is units × inputs as stored, in `rows` it is inputs × units, the transpose.
public enum ParameterReference: Equatable, Sendable {
    case weights(layer: Int)
    case biases(layer: Int)
    case weight(layer: Int, row: Int, column: Int)
    case bias(layer: Int, index: Int)
    /// γ or β of a batch-normalized layer: the whole vector (`index` nil) or one element.
    case normalization(GradientCheck.NormalizationParameter, layer: Int, index: Int?)

    /// The syntactic kinds of parameter name, before they are checked against a network.
    public enum Family: Character, Sendable {
        case weightMatrix = "W"
        case biasVector = "b"
        case numberedWeight = "w"
        /// `gammaL`, `betaL`.
        case gammaVector = "γ"
        case betaVector = "β"
    }

    /// Splits `W12` into (`W`, 12) and `gamma2` into (`γ`, 2); nil for names that are not parameter names.
    public static func split(_ name: String) -> (family: Family, number: Int)? {
        let family: Family
        let digits: Substring
        if name.hasPrefix("gamma") {
            (family, digits) = (.gammaVector, name.dropFirst(5))
        } else if name.hasPrefix("beta") {
            (family, digits) = (.betaVector, name.dropFirst(4))
        } else if let first = name.first, let letter = Family(rawValue: first), letter != .gammaVector, letter != .betaVector {
            (family, digits) = (letter, name.dropFirst())
        } else {
            return nil
        }
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

    /// The layer (from 1) the parameter belongs to.
    public var layer: Int {
        switch self {
        case .weights(let layer), .biases(let layer), .weight(let layer, _, _), .bias(let layer, _), .normalization(_, let layer, _): layer
        }
    }

    /// The name as the user writes it: `W2`, `b1[2]`, `W2[1,2]`. Single weights print in matrix
    /// form, their indices in the convention's order.
    public func name(in convention: WeightConvention = .columns) -> String {
        switch self {
        case .weights(let layer): return "W\(layer)"
        case .biases(let layer): return "b\(layer)"
        case .weight(let layer, _, _): return "W\(layer)" + Value.indexText(indices(in: convention))
        case .bias(let layer, let index): return "b\(layer)[\(index)]"
        case .normalization(let which, let layer, let index): return "\(which.rawValue)\(layer)" + (index.map { "[\($0)]" } ?? "")
        }
    }

    /// A single weight's indices as the user writes them: (unit, input) in `columns`,
    /// (input, unit) in `rows`; an element's one index; none for a whole matrix or vector.
    func indices(in convention: WeightConvention) -> [Int] {
        switch self {
        case .weights, .biases: return []
        case .weight(_, let row, let column): return convention == .rows ? [column, row] : [row, column]
        case .bias(_, let index): return [index]
        case .normalization(_, _, let index): return index.map { [$0] } ?? []
        }
    }

    /// Resolves a name with optional 1-based indices against a network.
    public static func resolve(name: String, indices: [Int]?, in network: Network,
                               convention: WeightConvention = .columns) throws(Problem) -> ParameterReference {
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
        case .gammaVector, .betaVector:
            guard (1...layerCount).contains(number) else {
                throw Problem.layerCountOutOfRange(name: name, layerCount: layerCount)
            }
            let layer = network.layers[number - 1]
            guard layer.batchNorm != nil else { throw Problem.noBatchNorm(name: name, layer: number) }
            let which: GradientCheck.NormalizationParameter = family == .gammaVector ? .gamma : .beta
            guard let indices else { return .normalization(which, layer: number, index: nil) }
            guard indices.count == 1 else { throw Problem.wrongIndexCount(name: name, expected: 1, got: indices.count) }
            guard (1...layer.units).contains(indices[0]) else {
                throw Problem.indexOutOfRange(name: name, index: Value.indexText(indices), shape: "a vector of \(layer.units)")
            }
            return .normalization(which, layer: number, index: indices[0])
        case .weightMatrix, .biasVector:
            guard (1...layerCount).contains(number) else {
                throw Problem.layerCountOutOfRange(name: name, layerCount: layerCount)
            }
            let layer = network.layers[number - 1]
            guard let indices else { return family == .weightMatrix ? .weights(layer: number) : .biases(layer: number) }
            if family == .weightMatrix {
                guard indices.count == 2 else { throw Problem.wrongIndexCount(name: name, expected: 2, got: indices.count) }
                // The user's (i, j) as the network's (unit, input).
                let (unit, input) = convention == .rows ? (indices[1], indices[0]) : (indices[0], indices[1])
                guard (1...layer.units).contains(unit), (1...layer.inputCount).contains(input) else {
                    let shown = convention == .rows ? "\(layer.inputCount)×\(layer.units)" : "\(layer.units)×\(layer.inputCount)"
                    throw Problem.indexOutOfRange(name: name, index: Value.indexText(indices), shape: "a \(shown) matrix")
                }
                return .weight(layer: number, row: unit, column: input)
            }
            guard indices.count == 1 else { throw Problem.wrongIndexCount(name: name, expected: 1, got: indices.count) }
            guard (1...layer.units).contains(indices[0]) else {
                throw Problem.indexOutOfRange(name: name, index: Value.indexText(indices), shape: "a vector of \(layer.units)")
            }
            return .bias(layer: number, index: indices[0])
        }
    }

    /// The parameter's current value in `network`, a weight matrix as `convention` writes it.
    public func value(in network: Network, convention: WeightConvention = .columns) -> Value {
        switch self {
        case .weights(let layer): return .matrix(convention.shown(network.layers[layer - 1].weights))
        case .biases(let layer): return .vector(network.layers[layer - 1].biases)
        case .weight(let layer, let row, let column): return .scalar(network.layers[layer - 1].weights[row - 1, column - 1])
        case .bias(let layer, let index): return .scalar(network.layers[layer - 1].biases[index - 1])
        case .normalization(let which, let layer, let index):
            let batchNorm = network.layers[layer - 1].batchNorm ?? BatchNorm(units: 0)
            let vector = which == .gamma ? batchNorm.gamma : batchNorm.beta
            return index.map { .scalar(vector[$0 - 1]) } ?? .vector(vector)
        }
    }

    /// The same parameter's part of a gradient, in the shape `value(in:convention:)` gives.
    public func value(in gradients: NetworkGradients, convention: WeightConvention = .columns) -> Value {
        switch self {
        case .weights(let layer): return .matrix(convention.shown(gradients.weights[layer - 1]))
        case .biases(let layer): return .vector(gradients.biases[layer - 1])
        case .weight(let layer, let row, let column): return .scalar(gradients.weights[layer - 1][row - 1, column - 1])
        case .bias(let layer, let index): return .scalar(gradients.biases[layer - 1][index - 1])
        case .normalization(let which, let layer, let index):
            let vector = which == .gamma ? gradients.gamma(layer: layer - 1) : gradients.beta(layer: layer - 1)
            return index.map { .scalar(vector[$0 - 1]) } ?? .vector(vector)
        }
    }

    /// Writes `newValue` into `network`: a matching shape in `convention`, or a scalar that
    /// fills a whole matrix or vector (`b1 = 0.35`). A matrix that would fit transposed is
    /// refused with a word about transposing and the other convention.
    public func assign(_ newValue: Value, in network: inout Network, name: String,
                       convention: WeightConvention = .columns) throws(Problem) {
        let current = value(in: network, convention: convention)
        if case .normalization(let which, let layer, let index) = self {
            guard var batchNorm = network.layers[layer - 1].batchNorm else { return }
            var vector = which == .gamma ? batchNorm.gamma : batchNorm.beta
            switch (index, newValue) {
            case (let index?, .scalar(let number)): vector[index - 1] = number
            case (nil, .scalar(let number)): vector = Array(repeating: number, count: vector.count)
            case (nil, .vector(let elements)) where elements.count == vector.count: vector = elements
            default: throw Problem.assignmentShapeMismatch(name: name, expected: current.shapeDescription, got: newValue.shapeDescription)
            }
            if which == .gamma { batchNorm.gamma = vector } else { batchNorm.beta = vector }
            network.layers[layer - 1].batchNorm = batchNorm
            return
        }
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
            network.layers[layer - 1].weights = convention.stored(matrix)
        case (.weights(let layer), .vector(let elements)) where Self.fitsAsVector(elements, network.layers[layer - 1], convention):
            // A one-unit layer's single row of weights (or, in rows, a one-input layer's).
            let layerValue = network.layers[layer - 1]
            network.layers[layer - 1].weights = Matrix(rows: layerValue.units, columns: layerValue.inputCount, storage: elements)
        case (.biases(let layer), .vector(let elements)) where elements.count == network.layers[layer - 1].units:
            network.layers[layer - 1].biases = elements
        case (.weights, .matrix(let matrix)) where Value.matrix(matrix.transposed).shapeDescription == current.shapeDescription:
            throw Problem.assignmentNeedsTranspose(name: name, expected: current.shapeDescription, got: newValue.shapeDescription,
                                                   convention: convention)
        default:
            throw Problem.assignmentShapeMismatch(name: name, expected: current.shapeDescription, got: newValue.shapeDescription)
        }
    }

    /// Whether a vector can stand for a layer's whole weight matrix: one unit's weights in
    /// `columns` (a row), or in `rows` one input's weights (a row) or one unit's (a column).
    private static func fitsAsVector(_ elements: [Double], _ layer: DenseLayer, _ convention: WeightConvention) -> Bool {
        if layer.units == 1 { return elements.count == layer.inputCount }
        return convention == .rows && layer.inputCount == 1 && elements.count == layer.units
    }
}
