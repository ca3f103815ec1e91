/// An expression written back as source text, for a plot's title: `sigmoid(x) * 2`.
enum ExpressionText {
    static func text(_ expression: Expression) -> String {
        text(expression, within: 0)
    }

    /// How tightly an operator binds: comparisons loosest, unary operators tightest.
    private static func precedence(_ operation: BinaryOperator) -> Int {
        switch operation {
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual: return 1
        case .add, .subtract: return 2
        case .multiply, .divide, .matrixProduct: return 3
        }
    }

    /// The text, in parentheses when it binds more loosely than its surroundings.
    private static func text(_ expression: Expression, within outer: Int) -> String {
        switch expression.kind {
        case .number(let value): return ValueFormatter(precision: 10).format(value)
        case .string(let text): return "\"" + text + "\""
        case .name(let name): return name
        case .list(let elements): return "[" + elements.map { text($0, within: 0) }.joined(separator: ", ") + "]"
        case .index(let name, _, let indices): return name + "[" + indices.map { text($0, within: 0) }.joined(separator: ",") + "]"
        case .unary(let operation, let operand): return operation.rawValue + text(operand, within: 4)
        case .call(let name, _, let arguments): return name + "(" + arguments.map { text($0, within: 0) }.joined(separator: ", ") + ")"
        case .binary(let operation, let left, let right):
            let own = precedence(operation)
            // Left-associative: the right operand needs parentheses at equal precedence.
            let written = text(left, within: own) + " " + operation.rawValue + " " + text(right, within: own + 1)
            return own < outer ? "(" + written + ")" : written
        }
    }

    /// The names an expression reads, in order of first use, without the functions it calls.
    static func names(in expression: Expression) -> [String] {
        var found: [String] = []
        func visit(_ expression: Expression) {
            switch expression.kind {
            case .number, .string: break
            case .name(let name): if !found.contains(name) { found.append(name) }
            case .list(let elements): elements.forEach(visit)
            case .index(let name, _, let indices):
                if !found.contains(name) { found.append(name) }
                indices.forEach(visit)
            case .unary(_, let operand): visit(operand)
            case .binary(_, let left, let right):
                visit(left)
                visit(right)
            case .call(_, _, let arguments): arguments.forEach(visit)
            }
        }
        visit(expression)
        return found
    }
}
