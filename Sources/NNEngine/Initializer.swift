/// How a layer's starting weights are drawn.
///
/// One case per scheme; each says how to fill a (units × inputs) weight matrix.
/// Biases always start at zero.
public enum Initializer: Equatable, Sendable {
    /// Xavier/Glorot uniform: U(−√(6/(in+out)), √(6/(in+out))), keeping the variance of
    /// signals roughly equal going forward and backward through sigmoid and tanh layers.
    case xavierUniform

    /// The name the language uses for this initializer.
    public var name: String {
        switch self {
        case .xavierUniform: "xavier_uniform"
        }
    }

    /// Every initializer name.
    public static let names: [String] = ["xavier_uniform"]

    /// The initializer called `name`, or nil if there is none.
    public init?(name: String) {
        switch name {
        case "xavier_uniform": self = .xavierUniform
        default: return nil
        }
    }

    /// Fresh weights for a layer: W: [units, inputs], drawn row by row.
    public func weights(units: Int, inputs: Int, generator: inout SeededGenerator) -> Matrix {
        var result = Matrix(rows: units, columns: inputs)
        switch self {
        case .xavierUniform:
            let limit = Self.xavierLimit(units: units, inputs: inputs)
            for i in 0..<result.count {
                result.storage[i] = generator.nextUniform(-limit, limit)
            }
        }
        return result
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
