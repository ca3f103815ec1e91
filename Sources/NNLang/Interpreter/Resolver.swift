/// The resolver: one pass over a statement (or a function's body) before it runs, deciding once
/// what each name is, so that a loop does not decide it again at every iteration (jlox's
/// resolver pass).
///
/// A variable becomes its slot in `Variables`, a function's parameter its place in the call's
/// frame, a called user function its slot in the session's function table (filled by `def`,
/// so a function may call one defined later). What the fast evaluator does not handle itself
/// (network parameters, `loss`, session values, indexing, lists, strings, commands, `def`, the
/// builtins that take expressions) stays as written, marked `general`, and runs through
/// `Session.evaluate(_:)` and `Session.executeGeneral(_:)`: one meaning for every statement.
///
/// The resolved code is stored flat: a node's children are positions in `ResolvedCode.nodes`,
/// and the nodes are plain values (no references), so walking them retains nothing.
final class ResolvedCode {
    /// The expressions' nodes.
    let nodes: [ResolvedNode]
    /// The statements' nodes.
    let statements: [ResolvedStatement]
    /// Lists of positions: the arguments of calls, the statements of blocks.
    let lists: [Int]
    /// The expressions as written, for their spans and for the general evaluator.
    let expressions: [Expression]
    /// The statements as written, for their spans and for the general path.
    let sources: [Statement]
    /// The parameters of the function this is the body of (none for statements), for "did you mean".
    let parameters: [String]

    /// Fixed once resolved (constants, which the evaluator reads without checking for
    /// simultaneous changes).
    fileprivate init(_ parts: Parts, parameters: [String]) {
        self.parameters = parameters
        nodes = parts.nodes
        statements = parts.statements
        lists = parts.lists
        expressions = parts.expressions
        sources = parts.sources
    }

    /// Whether the node's value is a temporary that nothing else holds: the result of an
    /// operator (a new array each time), which `Value.applyInPlace` may write over. A variable's
    /// value, a call's (which may return a variable) and unary `+` (its operand) are not.
    func isTemporary(_ node: Int) -> Bool {
        switch nodes[node] {
        case .binary: return true
        case .unary(let operation, _, _): return operation != .plus
        default: return false
        }
    }

    /// The code as the resolver builds it.
    fileprivate struct Parts {
        var nodes: [ResolvedNode] = []
        var statements: [ResolvedStatement] = []
        var lists: [Int] = []
        var expressions: [Expression] = []
        var sources: [Statement] = []

        mutating func add(_ node: ResolvedNode) -> Int {
            nodes.append(node)
            return nodes.count - 1
        }

        mutating func add(_ statement: ResolvedStatement) -> Int {
            statements.append(statement)
            return statements.count - 1
        }

        mutating func add(_ expression: Expression) -> Int {
            expressions.append(expression)
            return expressions.count - 1
        }

        mutating func add(_ statement: Statement) -> Int {
            sources.append(statement)
            return sources.count - 1
        }

        mutating func addList(_ positions: [Int]) -> Range<Int> {
            let start = lists.count
            lists.append(contentsOf: positions)
            return start..<lists.count
        }
    }
}

/// An expression with its names resolved. `source` is the position of the expression as
/// written in `ResolvedCode.expressions`.
enum ResolvedNode: Sendable {
    case number(Double, source: Int)
    /// The `index`-th parameter of the function being called.
    case local(Int, source: Int)
    /// A variable's slot; an empty slot is looked up by name (`e`, `pi`, or an error).
    case global(slot: Int, source: Int)
    case unary(UnaryOperator, operand: Int, source: Int)
    case binary(BinaryOperator, left: Int, right: Int, source: Int)
    /// A user function's slot in `Session.functionTable`, and its arguments (positions in `lists`).
    case userCall(function: Int, arguments: Range<Int>, source: Int)
    /// A builtin that takes values (`sigmoid(x)`, `max(a, b)`), how many arguments it takes,
    /// and its arguments.
    case builtinCall(arguments: Range<Int>, arity: ClosedRange<Int>, source: Int)
    /// Anything else, evaluated as written by `Session.evaluate(_:)`.
    case general(source: Int)
}

/// A statement with its names resolved. `source` is the position of the statement as written in
/// `ResolvedCode.sources`; blocks are ranges of `lists` holding statement positions.
enum ResolvedStatement: Sendable {
    /// `NAME = EXPR` for a variable.
    case assignment(slot: Int, value: Int, source: Int)
    /// A bare expression, printed.
    case expression(Int, source: Int)
    /// A loop's variable has a slot unless it is a name no loop may take (`w5`, `true`, `X`).
    case forLoop(slot: Int?, sequence: Int, body: Range<Int>, source: Int)
    /// `for NAME in range(a, b[, step]) { … }`: the same numbers as `range` gives, made one at a
    /// time; `bounds` are the positions of range's arguments' nodes in `lists`.
    case forRange(slot: Int?, bounds: Range<Int>, range: Int, body: Range<Int>, source: Int)
    case conditional(condition: Int, then: Range<Int>, otherwise: Range<Int>?)
    case repeatLoop(count: Int, body: Range<Int>, source: Int)
    /// Commands, `def`, assignments to parameters and elements, loops over a reserved name:
    /// run as written by `Session.executeGeneral(_:)`.
    case general(source: Int)
}

/// A user function as the evaluator calls it: its definition, and its body resolved with its
/// parameters as frame positions, when every part of the body is one the fast evaluator
/// handles (otherwise `body` is nil and the call goes through `Session.call(_:with:span:)`).
final class ResolvedFunction {
    let definition: FunctionDefinition
    let code: ResolvedCode
    let body: Int?
    let parameterCount: Int

    init(definition: FunctionDefinition, code: ResolvedCode, body: Int?) {
        self.definition = definition
        self.code = code
        self.body = body
        parameterCount = definition.parameters.count
    }
}

/// Resolves statements and function bodies against a session's slots.
struct Resolver {
    private let session: Session
    private var code = ResolvedCode.Parts()
    /// The parameters of the function whose body is resolved; nil for statements.
    private let parameters: [String]?
    /// Whether something in a function's body had to stay general.
    private var usedGeneral = false

    /// The builtins whose arguments are not plain values (names of functions or parameters,
    /// bounds checked against the memory limit): they stay general.
    static let generalBuiltins: Set<String> = [
        "grad", "numderiv", "deriv", "jacobian", "range", "predict", "hcat", "vcat", "rows", "cols", "onehot",
    ]

    private init(session: Session, parameters: [String]?) {
        self.session = session
        self.parameters = parameters
    }

    /// A statement, resolved: the code and the position of its root statement.
    static func resolve(_ statement: Statement, in session: Session) -> (code: ResolvedCode, root: Int) {
        var resolver = Resolver(session: session, parameters: nil)
        let root = resolver.resolve(statement)
        return (ResolvedCode(resolver.code, parameters: []), root)
    }

    /// A function, resolved: fast when its whole body is.
    static func resolve(_ definition: FunctionDefinition, in session: Session) -> ResolvedFunction {
        var resolver = Resolver(session: session, parameters: definition.parameters)
        let body = resolver.resolve(definition.body)
        let code = ResolvedCode(resolver.code, parameters: definition.parameters)
        return ResolvedFunction(definition: definition, code: code, body: resolver.usedGeneral ? nil : body)
    }

    // MARK: - Statements

    private mutating func resolve(_ statement: Statement) -> Int {
        let source = code.add(statement)
        switch statement.kind {
        case .assignment(.name(let name, _), let value) where Self.isPlainVariable(name):
            let slot = session.variables.slot(for: name)
            return code.add(.assignment(slot: slot, value: resolve(value), source: source))
        case .expression(let expression):
            return code.add(.expression(resolve(expression), source: source))
        case .forLoop(let variable, _, let sequence, let body):
            let isVariable = Self.isPlainVariable(variable) && !Builtins.isReservedConstant(variable)
            let slot = isVariable ? session.variables.slot(for: variable) : nil
            if case .call("range", _, let arguments) = sequence.kind, (2...3).contains(arguments.count) {
                let range = code.add(sequence)
                return code.add(.forRange(slot: slot, bounds: resolve(arguments), range: range, body: resolve(body), source: source))
            }
            return code.add(.forLoop(slot: slot, sequence: resolve(sequence), body: resolve(body), source: source))
        case .conditional(let condition, let then, let otherwise):
            let resolvedCondition = resolve(condition)
            let resolvedThen = resolve(then)
            let resolvedOtherwise = otherwise.map { resolve($0) }
            return code.add(.conditional(condition: resolvedCondition, then: resolvedThen, otherwise: resolvedOtherwise))
        case .repeatLoop(let count, let body):
            return code.add(.repeatLoop(count: resolve(count), body: resolve(body), source: source))
        case .assignment, .command, .functionDefinition:
            return code.add(ResolvedStatement.general(source: source))
        }
    }

    private mutating func resolve(_ block: [Statement]) -> Range<Int> {
        var positions: [Int] = []
        for statement in block { positions.append(resolve(statement)) }
        return code.addList(positions)
    }

    /// Whether a name assigned to is a variable: not a network parameter (`w5`, `W2`), which an
    /// assignment changes in the network, nor a session value, which it may not change.
    private static func isPlainVariable(_ name: String) -> Bool {
        ParameterReference.split(name) == nil && !Session.isSessionValue(name)
    }

    // MARK: - Expressions

    private mutating func resolve(_ expression: Expression) -> Int {
        let source = code.add(expression)
        switch expression.kind {
        case .number(let number):
            return code.add(.number(number, source: source))
        case .name(let name):
            // A parameter hides everything else; then the order of `Session.lookUp`.
            if let index = parameters?.firstIndex(of: name) { return code.add(.local(index, source: source)) }
            if name == "loss" || !Self.isPlainVariable(name) { return general(source) }
            return code.add(.global(slot: session.variables.slot(for: name), source: source))
        case .unary(let operation, let operand):
            return code.add(.unary(operation, operand: resolve(operand), source: source))
        case .binary(let operation, let left, let right):
            let resolvedLeft = resolve(left)
            let resolvedRight = resolve(right)
            return code.add(.binary(operation, left: resolvedLeft, right: resolvedRight, source: source))
        case .call(let name, _, let arguments):
            if let builtin = Builtins.function(named: name) {
                if Self.generalBuiltins.contains(name) || builtin.readsSession { return general(source) }
                return code.add(.builtinCall(arguments: resolve(arguments), arity: builtin.arity, source: source))
            }
            // Not a builtin, so a user function, now or once it is defined (`def` refuses
            // builtins' names); an empty slot gives the general path's "unknown function".
            let function = session.functionSlot(for: name)
            return code.add(.userCall(function: function, arguments: resolve(arguments), source: source))
        case .string, .list, .index, .range:
            return general(source)
        }
    }

    private mutating func resolve(_ arguments: [Expression]) -> Range<Int> {
        var positions: [Int] = []
        for argument in arguments { positions.append(resolve(argument)) }
        return code.addList(positions)
    }

    private mutating func general(_ source: Int) -> Int {
        usedGeneral = true
        return code.add(ResolvedNode.general(source: source))
    }
}
