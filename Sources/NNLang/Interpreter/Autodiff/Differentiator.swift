import NNEngine

/// Walks an expression and records it on a `Tape`, for `grad(EXPR, VAR)`.
///
/// The variable is one node that every mention of VAR shares. User functions are inlined: their
/// body is recorded with each parameter bound to its argument's node. Whatever the variable
/// cannot flow into (numbers, other variables, `loss`, `predict(…)`, `grad(PARAM)`,
/// comparisons, `and`, `or`, `not`) is evaluated as usual and recorded as a constant.
struct Differentiator {
    private unowned let session: Session
    private(set) var tape = Tape()
    let variableName: String
    private let variableValue: Value
    /// The variable's node, recorded where EXPR first mentions it; nil if it never does.
    private(set) var variableNode: Int?
    /// The parameters of the user functions being inlined, innermost last.
    private var bindings: [[String: Int]] = []
    /// Whether VAR is a parameter of the user function `grad` was called in, rather than global.
    private let variableIsLocal: Bool
    /// When VAR is a weight matrix of the network, its layer: `w5` in EXPR may be one of its elements.
    private let weightLayer: Int?

    init(session: Session, variableName: String, value: Value) {
        self.session = session
        self.variableName = variableName
        variableValue = value
        variableIsLocal = session.scopes.last?[variableName] != nil
        if let (family, number) = ParameterReference.split(variableName), family == .weightMatrix {
            weightLayer = number
        } else {
            weightLayer = nil
        }
    }

    /// Records `expression` and returns its node.
    mutating func record(_ expression: Expression) throws(Diagnostic) -> Int {
        switch expression.kind {
        case .number(let number):
            return tape.constant(.scalar(number), label: session.formatter.format(number))
        case .string:
            throw Diagnostic(.expectedValue(what: "a number, vector or matrix", got: "a string"), at: expression.span)
        case .name(let name):
            if let node = try node(named: name, span: expression.span) { return node }
            return try constant(expression, label: name)
        case .list(let elements):
            return try list(elements, span: expression.span)
        case .index(let name, let nameSpan, let indexExpressions):
            guard let base = try node(named: name, span: nameSpan) else { return try constant(expression, label: TreeLabel.text(of: expression)) }
            let subscripts = try session.evaluateSubscripts(indexExpressions)
            if subscripts.contains(where: \.isSlice) {
                let axes = try session.axes(subscripts, of: tape.nodes[base].value, name: name)
                return try at(expression.span) { () throws(Problem) in try tape.record(.select(axes, name: name), [base]) }
            }
            var indices: [Int] = []
            for item in subscripts { indices.append(try session.wholeNumber(item.value, at: item.span, what: "an index", minimum: 1)) }
            return try at(expression.span) { () throws(Problem) in try tape.record(.element(indices, name: name), [base]) }
        case .range:
            throw Diagnostic(.rangeOutsideIndex, at: expression.span)
        case .unary(.negate, let operand):
            let node = try record(operand)
            return try at(expression.span) { () throws(Problem) in try tape.record(.negate, [node]) }
        case .unary(.plus, let operand):
            return try record(operand)
        case .unary(.not, _):
            return try constant(expression, label: TreeLabel.text(of: expression))
        case .binary(let operator_, let left, let right):
            guard let operation = Operation(operator_) else { return try constant(expression, label: TreeLabel.text(of: expression)) }
            let leftNode = try record(left)
            let rightNode = try record(right)
            return try at(expression.span) { () throws(Problem) in try tape.record(operation, [leftNode, rightNode]) }
        case .call(let name, let nameSpan, let arguments):
            return try call(name, nameSpan: nameSpan, arguments: arguments, expression: expression)
        }
    }

    // MARK: - Names

    /// The node a name stands for, when the variable can flow through it; nil for constants.
    private mutating func node(named name: String, span: SourceSpan) throws(Diagnostic) -> Int? {
        if let scope = bindings.last {
            if let bound = scope[name] { return bound }
            // Inside a function body only its parameters and global names are visible.
            if variableIsLocal { return nil }
        }
        if name == variableName { return variable() }
        // `w5` when VAR is the weight matrix holding it.
        if let weightLayer, let (family, _) = ParameterReference.split(name), family == .numberedWeight, let network = session.workspace.network,
            let reference = try? ParameterReference.resolve(name: name, indices: nil, in: network),
            case .weight(let layer, _, _) = reference, layer == weightLayer
        {
            // The element of VAR's value as the convention shows W: (unit, input) or (input, unit).
            let indices = reference.indices(in: session.settings.convention)
            let variable = variable()
            return try at(span) { () throws(Problem) in try tape.record(.element(indices, name: variableName), [variable]) }
        }
        return nil
    }

    /// The variable's one node, recorded the first time it is needed.
    private mutating func variable() -> Int {
        if let variableNode { return variableNode }
        let node = tape.variable(variableValue, name: variableName)
        variableNode = node
        return node
    }

    /// Evaluates an expression the variable does not flow into and records it as a constant.
    private mutating func constant(_ expression: Expression, label: String) throws(Diagnostic) -> Int {
        let value = try session.evaluate(expression)
        if case .text = value {
            throw Diagnostic(.expectedValue(what: "a number, vector or matrix", got: "a string"), at: expression.span)
        }
        return tape.constant(value, label: label)
    }

    /// `[…]`, checked as evaluation checks it, each element's span in its messages.
    private mutating func list(_ elements: [Expression], span: SourceSpan) throws(Diagnostic) -> Int {
        guard !elements.isEmpty else { throw Diagnostic(.emptyList, at: span) }
        var nodes: [Int] = []
        for element in elements { nodes.append(try record(element)) }
        let values = nodes.map { tape.nodes[$0].value }
        if !values.allSatisfy({ if case .scalar = $0 { return true } else { return false } }) {
            for (index, (value, element)) in zip(values, elements).enumerated() {
                switch value {
                case .vector(let row):
                    if case .vector(let first) = values[0], first.count != row.count {
                        throw Diagnostic(.raggedMatrix(row: index + 1, count: row.count, expected: first.count), at: element.span)
                    }
                case .matrix:
                    throw Diagnostic(.tooManyDimensions, at: element.span)
                case .scalar, .text:
                    throw Diagnostic(.expectedValue(what: "a row like [1, 2] in a matrix", got: value.shapeDescription), at: element.span)
                }
            }
        }
        let inputs = nodes
        return try at(span) { () throws(Problem) in try tape.record(.list, inputs) }
    }

    // MARK: - Calls

    /// Functions that differentiate: the operations of `Operation` and the user's own, inlined.
    private mutating func call(_ name: String, nameSpan: SourceSpan, arguments: [Expression], expression: Expression) throws(Diagnostic) -> Int {
        if let definition = session.functions[name] {
            return try inline(definition, arguments: arguments, span: expression.span)
        }
        if ["deriv", "jacobian", "numderiv"].contains(name) || (name == "grad" && arguments.count == 2) {
            throw Diagnostic(.nestedDerivative(function: name), at: nameSpan)
        }
        if ["hcat", "vcat"].contains(name), arguments.count >= 2 {
            var nodes: [Int] = []
            for argument in arguments { nodes.append(try record(argument)) }
            return try at(expression.span) { () throws(Problem) in try tape.record(.join(horizontal: name == "hcat"), nodes) }
        }
        // Wrong argument counts and unknown names get evaluation's own messages.
        guard let operation = Operation(function: name, argumentCount: arguments.count) else {
            return try constant(expression, label: TreeLabel.text(of: expression))
        }
        var nodes: [Int] = []
        for argument in arguments { nodes.append(try record(argument)) }
        let inputs = nodes
        return try at(expression.span) { () throws(Problem) in try tape.record(operation, inputs) }
    }

    /// A user function's body, recorded with its parameters bound to the arguments' nodes.
    private mutating func inline(_ definition: FunctionDefinition, arguments: [Expression], span: SourceSpan) throws(Diagnostic) -> Int {
        guard arguments.count == definition.parameters.count else {
            let count = definition.parameters.count
            throw Diagnostic(.wrongArgumentCount(
                function: "\(definition.name)(\(definition.parameters.joined(separator: ", ")))",
                expected: "\(count) \(count == 1 ? "argument" : "arguments")", got: arguments.count), at: span)
        }
        guard session.scopes.count < Session.callDepthLimit else {
            throw Diagnostic(.recursionTooDeep(function: definition.name, limit: Session.callDepthLimit), at: span)
        }
        // Each call asks, as an evaluated one does: functions that fan out stop on Ctrl-C.
        if session.interruptRequested() {
            throw Diagnostic(.interruptedPart(done: tape.nodes.count, of: "steps recorded for differentiation"), at: span)
        }
        var nodes: [Int] = []
        for argument in arguments { nodes.append(try record(argument)) }
        // The session sees the same scope, so constant parts of the body (`x > 0`) evaluate too.
        let values = nodes.map { tape.nodes[$0].value }
        session.scopes.append(Dictionary(uniqueKeysWithValues: zip(definition.parameters, values)))
        bindings.append(Dictionary(uniqueKeysWithValues: zip(definition.parameters, nodes)))
        defer {
            session.scopes.removeLast()
            bindings.removeLast()
        }
        return try record(definition.body)
    }

    private func at<T>(_ span: SourceSpan, _ body: () throws(Problem) -> T) throws(Diagnostic) -> T {
        do {
            return try body()
        } catch {
            throw Diagnostic(error, at: span)
        }
    }
}

/// How `explain` writes a constant subexpression: back in the language's own syntax.
enum TreeLabel {
    static func text(of expression: Expression) -> String {
        switch expression.kind {
        case .number(let number):
            return ValueFormatter(precision: 10).format(number)
        case .string(let text):
            return "\"\(text)\""
        case .name(let name):
            return name
        case .list(let elements):
            return "[" + elements.map(text).joined(separator: ", ") + "]"
        case .index(let name, _, let indices):
            return name + "[" + indices.map(text).joined(separator: ",") + "]"
        case .range(let from, let to):
            return (from.map(text) ?? "") + ":" + (to.map(text) ?? "")
        case .unary(let operation, let operand):
            let inner = precedence(of: operand) < 5 ? "(\(text(of: operand)))" : text(of: operand)
            return operation == .not ? "not \(inner)" : operation.rawValue + inner
        case .binary(let operation, let left, let right):
            let level = precedence(of: expression)
            // Parentheses where the tree differs from how the text would parse without them.
            let leftText = precedence(of: left) < level || (operation == .power && precedence(of: left) == level) ? "(\(text(of: left)))" : text(of: left)
            let rightText = precedence(of: right) < level || (operation != .power && precedence(of: right) == level) ? "(\(text(of: right)))" : text(of: right)
            return operation == .power ? "\(leftText)^\(rightText)" : "\(leftText) \(operation.rawValue) \(rightText)"
        case .call(let name, _, let arguments):
            return name + "(" + arguments.map(text).joined(separator: ", ") + ")"
        }
    }

    /// How tightly an expression binds, as the parser reads it: higher binds tighter.
    private static func precedence(of expression: Expression) -> Int {
        switch expression.kind {
        case .binary(let operation, _, _):
            switch operation {
            case .or: return 0
            case .and: return 1
            case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual: return 2
            case .add, .subtract: return 3
            case .multiply, .divide, .matrixProduct: return 4
            case .power: return 6
            }
        case .unary(.not, _): return 1
        case .unary: return 5
        default: return 7
        }
    }
}
