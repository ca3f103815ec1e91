/// How a layer's starting weights are drawn.
///
/// One case per scheme; each says how to fill a (units × inputs) weight matrix, with
/// in = inputs (fan-in) and out = units (fan-out), as PyTorch's `torch.nn.init` and Keras
/// define them. Biases always start at zero.
public enum Initializer: Equatable, Sendable {
    /// Xavier/Glorot uniform: U(−√(6/(in+out)), √(6/(in+out))), keeping the variance of
    /// signals roughly equal going forward and backward through sigmoid and tanh layers.
    case xavierUniform
    /// Xavier/Glorot normal: N(0, 2/(in+out)).
    case xavierNormal
    /// He/Kaiming uniform for relu layers: U(−√(6/in), √(6/in)), variance 2/in.
    case heUniform
    /// He/Kaiming normal: N(0, 2/in).
    case heNormal
    /// LeCun normal: N(0, 1/in).
    case lecunNormal
    /// U(low, high).
    case uniform(low: Double, high: Double)
    /// N(0, standardDeviation²).
    case normal(standardDeviation: Double)
    /// Every weight 0: every unit of a layer then stays identical, which is worth seeing once.
    case zeros
    /// Every weight `value`.
    case constant(Double)

    // MARK: - Names

    /// The name the language uses for this initializer.
    public var name: String {
        switch self {
        case .xavierUniform: "xavier_uniform"
        case .xavierNormal: "xavier_normal"
        case .heUniform: "he"
        case .heNormal: "he_normal"
        case .lecunNormal: "lecun"
        case .uniform: "uniform"
        case .normal: "normal"
        case .zeros: "zeros"
        case .constant: "constant"
        }
    }

    /// Every initializer name the language lists; "xavier_uniform" is accepted too, as "xavier".
    public static let names: [String] = [
        "xavier", "xavier_normal", "he", "he_normal", "lecun", "uniform", "normal", "zeros", "constant",
    ]

    /// How many numbers follow the name: 2 for `uniform` (low, high), 1 for `normal` (standard
    /// deviation) and `constant` (value), 0 for the others and for unknown names.
    public static func argumentCount(name: String) -> Int {
        switch name {
        case "uniform": 2
        case "normal", "constant": 1
        default: 0
        }
    }

    /// The numbers this initializer was made with, in the order `init(name:arguments:)` takes them.
    public var arguments: [Double] {
        switch self {
        case .uniform(let low, let high): [low, high]
        case .normal(let standardDeviation): [standardDeviation]
        case .constant(let value): [value]
        default: []
        }
    }

    /// The initializer called `name` with `arguments`, or nil if there is none, the count of
    /// arguments is not `argumentCount(name:)`, or they do not make sense: every argument must be
    /// finite, `uniform` needs low ≤ high and `normal` a standard deviation ≥ 0.
    public init?(name: String, arguments: [Double] = []) {
        guard arguments.count == Self.argumentCount(name: name), arguments.allSatisfy(\.isFinite) else { return nil }
        switch name {
        case "xavier", "xavier_uniform": self = .xavierUniform
        case "xavier_normal": self = .xavierNormal
        case "he": self = .heUniform
        case "he_normal": self = .heNormal
        case "lecun": self = .lecunNormal
        case "uniform":
            guard arguments[0] <= arguments[1] else { return nil }
            self = .uniform(low: arguments[0], high: arguments[1])
        case "normal":
            guard arguments[0] >= 0 else { return nil }
            self = .normal(standardDeviation: arguments[0])
        case "zeros": self = .zeros
        case "constant": self = .constant(arguments[0])
        default: return nil
        }
    }

    // MARK: - Drawing

    /// Fresh weights for a layer: W: [units, inputs], drawn row by row from `generator`.
    public func weights(units: Int, inputs: Int, generator: inout SeededGenerator) -> Matrix {
        var result = Matrix(rows: units, columns: inputs)
        let fanIn = Double(max(inputs, 1))
        switch self {
        case .xavierUniform:
            let limit = Self.xavierLimit(units: units, inputs: inputs)
            fillUniform(&result, -limit, limit, generator: &generator)
        case .xavierNormal:
            fillNormal(&result, standardDeviation: (2 / Double(max(units + inputs, 1))).squareRoot(), generator: &generator)
        case .heUniform:
            let limit = (6 / fanIn).squareRoot()
            fillUniform(&result, -limit, limit, generator: &generator)
        case .heNormal:
            fillNormal(&result, standardDeviation: (2 / fanIn).squareRoot(), generator: &generator)
        case .lecunNormal:
            fillNormal(&result, standardDeviation: (1 / fanIn).squareRoot(), generator: &generator)
        case .uniform(let low, let high):
            fillUniform(&result, low, high, generator: &generator)
        case .normal(let standardDeviation):
            fillNormal(&result, standardDeviation: standardDeviation, generator: &generator)
        case .zeros:
            break
        case .constant(let value):
            for i in 0..<result.count { result.storage[i] = value }
        }
        return result
    }

    private func fillUniform(_ matrix: inout Matrix, _ low: Double, _ high: Double, generator: inout SeededGenerator) {
        for i in 0..<matrix.count { matrix.storage[i] = generator.nextUniform(low, high) }
    }

    private func fillNormal(_ matrix: inout Matrix, standardDeviation: Double, generator: inout SeededGenerator) {
        for i in 0..<matrix.count { matrix.storage[i] = standardDeviation * generator.nextNormal() }
    }

    /// √(6/(in+out)), the half-width of the Xavier uniform range.
    public static func xavierLimit(units: Int, inputs: Int) -> Double {
        precondition(units + inputs > 0, "a layer needs inputs or units")
        return (6 / Double(units + inputs)).squareRoot()
    }

    /// Starting biases for a layer: all zero.
    public func biases(units: Int) -> [Double] {
        Array(repeating: 0, count: units)
    }
}
