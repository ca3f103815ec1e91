/// The syntax tree the parser builds and the interpreter walks.
///
/// Commands keep their arguments as parsed expressions: whether `sigmoid` in `layer 2 sigmoid`
/// is a word or a value is the command table's business, checked once by the parser.

/// One statement of a program, with the span of its text.
public struct Statement: Equatable, Sendable {
    public var kind: StatementKind
    public var span: SourceSpan

    public init(_ kind: StatementKind, span: SourceSpan) {
        self.kind = kind
        self.span = span
    }
}

public indirect enum StatementKind: Equatable, Sendable {
    /// `layer 2 sigmoid`, `train epochs=100 lr=0.5`, `time train`.
    case command(CommandStatement)
    /// `w5 = 0.4`, `W2[1,2] = 0.45`, `rate = 0.5`.
    case assignment(target: AssignmentTarget, value: Expression)
    /// A bare expression, whose value is printed.
    case expression(Expression)
    /// `def f(x, y) = EXPR`.
    case functionDefinition(FunctionDefinition)
    /// `for NAME in EXPR { … }`: over a vector's elements or a matrix's rows.
    case forLoop(variable: String, variableSpan: SourceSpan, sequence: Expression, body: [Statement])
    /// `if EXPR { … } else { … }`; an `else if` is an `if` alone in the else block.
    case conditional(condition: Expression, then: [Statement], otherwise: [Statement]?)
    /// `repeat N { … }`.
    case repeatLoop(count: Expression, body: [Statement])
}

/// A user function: `def g(x, y) = sigmoid(x + y)`.
public struct FunctionDefinition: Equatable, Sendable {
    public var name: String
    public var nameSpan: SourceSpan
    public var parameters: [String]
    public var body: Expression

    public init(name: String, nameSpan: SourceSpan, parameters: [String], body: Expression) {
        self.name = name
        self.nameSpan = nameSpan
        self.parameters = parameters
        self.body = body
    }
}

/// Words the grammar reserves: they cannot name variables or functions.
public enum Keyword {
    public static let all: Set<String> = ["def", "for", "in", "if", "else", "repeat", "and", "or", "not"]
}

/// A command word, its positional arguments and its `key=value` options, in source order.
public struct CommandStatement: Equatable, Sendable {
    public var name: String
    public var nameSpan: SourceSpan
    public var positional: [Expression]
    public var options: [CommandOption]
    /// The statement a command like `time` runs.
    public var body: Statement?

    public init(name: String, nameSpan: SourceSpan, positional: [Expression] = [], options: [CommandOption] = [], body: Statement? = nil) {
        self.name = name
        self.nameSpan = nameSpan
        self.positional = positional
        self.options = options
        self.body = body
    }

    /// The value expression of option `name`, if given.
    public func option(_ name: String) -> CommandOption? {
        options.first { $0.name == name }
    }
}

/// `key=value` after a command.
public struct CommandOption: Equatable, Sendable {
    public var name: String
    public var nameSpan: SourceSpan
    public var value: Expression

    public init(name: String, nameSpan: SourceSpan, value: Expression) {
        self.name = name
        self.nameSpan = nameSpan
        self.value = value
    }
}

/// What an assignment writes to: a name, or one element of a named matrix or vector.
public enum AssignmentTarget: Equatable, Sendable {
    case name(String, span: SourceSpan)
    case element(String, nameSpan: SourceSpan, indices: [Expression])

    public var name: String {
        switch self {
        case .name(let name, _), .element(let name, _, _): return name
        }
    }
}

/// An expression with its span.
public struct Expression: Equatable, Sendable {
    public var kind: ExpressionKind
    public var span: SourceSpan

    public init(_ kind: ExpressionKind, span: SourceSpan) {
        self.kind = kind
        self.span = span
    }

    /// The identifier, when the expression is just a name (a word argument such as `sigmoid`).
    public var bareName: String? {
        if case .name(let name) = kind { return name }
        return nil
    }
}

public indirect enum ExpressionKind: Equatable, Sendable {
    case number(Double)
    case string(String)
    case name(String)
    /// `[a, b, …]`: a vector, or a matrix when its elements are vectors.
    case list([Expression])
    /// `W2[1, 2]`, `b1[3]`: an element of a named value, 1-based; `X[:, 1]`, `X[2:5, [1, 3]]`:
    /// a slice, when an index is a range or evaluates to a vector.
    case index(name: String, nameSpan: SourceSpan, indices: [Expression])
    /// `a:b`, `:`, `a:`, `:b` inside an index: from a to b inclusive, 1-based; an open end is
    /// the first or the last.
    case range(from: Expression?, to: Expression?)
    case unary(UnaryOperator, Expression)
    case binary(BinaryOperator, Expression, Expression)
    /// `sigmoid(x)`, `grad(w5)`.
    case call(name: String, nameSpan: SourceSpan, arguments: [Expression])
}

public enum UnaryOperator: String, Equatable, Sendable {
    case negate = "-"
    case plus = "+"
    case not = "not"
}

public enum BinaryOperator: String, Equatable, Sendable {
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
    case matrixProduct = "@"
    case equal = "=="
    case notEqual = "!="
    case less = "<"
    case lessEqual = "<="
    case greater = ">"
    case greaterEqual = ">="
    case power = "^"
    case and = "and"
    case or = "or"

    /// Whether the operator compares (giving 1 or 0) rather than computes.
    public var isComparison: Bool {
        switch self {
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual: return true
        default: return false
        }
    }

    /// How a message names the operation: "cannot add a vector of 2 and a vector of 3".
    public var verb: String {
        switch self {
        case .add: return "add"
        case .subtract: return "subtract"
        case .multiply: return "multiply elementwise"
        case .divide: return "divide elementwise"
        case .matrixProduct: return "multiply"
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual: return "compare"
        case .power: return "raise"
        case .and, .or: return "combine"
        }
    }

    /// How a message names the result: "multiplication overflowed to infinity".
    public var noun: String {
        switch self {
        case .add: return "addition"
        case .subtract: return "subtraction"
        case .multiply, .matrixProduct: return "multiplication"
        case .divide: return "division"
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual: return "comparison"
        case .power: return "power"
        case .and, .or: return "logic"
        }
    }
}
