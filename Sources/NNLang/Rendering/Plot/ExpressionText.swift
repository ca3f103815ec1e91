/// An expression written back as source text, for a plot's title: `sigmoid(x) * 2`.
enum ExpressionText {
    static func text(_ expression: Expression) -> String {
        text(expression, within: 0)
    }

    /// How tightly an operator binds, as the grammar says: `or` loosest, then `and`,
    /// comparisons, + −, * / @, and ^ tightest of the binary operators.
    private static func precedence(_ operation: BinaryOperator) -> Int {
        switch operation {
        case .or: return 1
        case .and: return 2
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual: return 3
        case .add, .subtract: return 4
        case .multiply, .divide, .matrixProduct: return 5
        case .power: return 6
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
        case .unary(let operation, let operand):
            let written = operation == .not ? "not " + text(operand, within: 3) : operation.rawValue + text(operand, within: 7)
            return outer > (operation == .not ? 2 : 5) ? "(" + written + ")" : written
        case .call(let name, _, let arguments): return name + "(" + arguments.map { text($0, within: 0) }.joined(separator: ", ") + ")"
        case .range(let from, let to): return (from.map { text($0, within: 0) } ?? "") + ":" + (to.map { text($0, within: 0) } ?? "")
        case .binary(let operation, let left, let right):
            let own = precedence(operation)
            // Left-associative operators need parentheses on the right at equal precedence;
            // ^, right-associative, on the left.
            let (leftWithin, rightWithin) = operation == .power ? (own + 1, own) : (own, own + 1)
            let written = text(left, within: leftWithin) + " " + operation.rawValue + " " + text(right, within: rightWithin)
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
            case .range(let from, let to):
                from.map(visit)
                to.map(visit)
            }
        }
        visit(expression)
        return found
    }
}
