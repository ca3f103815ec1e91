import NNEngine

/// User functions and control flow: `def`, calls, `for`, `if`, `repeat`.
extension Session {
    /// How deeply user functions may call one another, so runaway recursion is a diagnostic
    /// rather than a stack overflow.
    public static let callDepthLimit = 100

    // MARK: - Functions

    func define(_ definition: FunctionDefinition) throws(Diagnostic) {
        if Builtins.function(named: definition.name) != nil || CommandTable.command(named: definition.name) != nil {
            throw Diagnostic(.assignmentToReservedName(definition.name), at: definition.nameSpan)
        }
        if let parameter = definition.parameters.first(where: Session.isSessionValue) {
            throw Diagnostic(.assignmentToSessionValue(parameter), at: definition.nameSpan)
        }
        functions[definition.name] = definition
    }

    /// Calls a user function: its parameters bound to the values, in a scope of their own.
    func call(_ definition: FunctionDefinition, with values: [Value], span: SourceSpan) throws(Diagnostic) -> Value {
        guard values.count == definition.parameters.count else {
            let count = definition.parameters.count
            throw Diagnostic(.wrongArgumentCount(
                function: "\(definition.name)(\(definition.parameters.joined(separator: ", ")))",
                expected: "\(count) \(count == 1 ? "argument" : "arguments")", got: values.count), at: span)
        }
        guard scopes.count < Session.callDepthLimit else {
            throw Diagnostic(.recursionTooDeep(function: definition.name, limit: Session.callDepthLimit), at: span)
        }
        // Each call asks, so a function that fans out (f(n-1) + f(n-1)) stops on Ctrl-C.
        functionCalls = scopes.isEmpty ? 0 : functionCalls + 1
        if interruptRequested() {
            throw Diagnostic(.interruptedPart(done: functionCalls, of: functionCalls == 1 ? "function call" : "function calls"), at: span)
        }
        scopes.append(Dictionary(uniqueKeysWithValues: zip(definition.parameters, values)))
        defer { scopes.removeLast() }
        return try evaluate(definition.body)
    }

    /// A one-argument function given by name (the user's, an activation or a builtin), applied.
    func applyFunction(named expression: Expression, to value: Value, span: SourceSpan) throws(Diagnostic) -> Value {
        guard let name = expression.bareName else {
            throw Diagnostic(.expectedValue(what: "a function's name, like f or sigmoid", got: "an expression"), at: expression.span)
        }
        if let definition = functions[name] { return try call(definition, with: [value], span: span) }
        if let builtin = Builtins.function(named: name), !builtin.readsSession, builtin.arity.contains(1) {
            return try at(span) { () throws(Problem) in try Builtins.apply(name, to: value) }
        }
        throw Diagnostic(.unknownFunction(name, suggestion: Suggestion.closest(to: name, among: Array(functions.keys) + Activation.names)), at: expression.span)
    }

    /// numderiv(f, x[, h]): (f(x + h) − f(x − h)) / 2h, elementwise in x.
    func numericDerivative(of function: Expression, at point: Value, step: Double, span: SourceSpan) throws(Diagnostic) -> Value {
        let plus = try applyFunction(named: function, to: point.map { $0 + step }, span: span)
        let minus = try applyFunction(named: function, to: point.map { $0 - step }, span: span)
        let difference = try at(span) { () throws(Problem) in try Value.apply(.subtract, plus, minus) }
        return difference.map { $0 / (2 * step) }
    }

    // MARK: - Control flow

    /// Runs statements, stopping early on `quit`.
    private func runBlock(_ statements: [Statement]) throws(Diagnostic) -> Flow {
        for statement in statements where try execute(statement) == .quit { return .quit }
        return .next
    }

    /// for NAME in EXPR { … }: the elements of a vector, or the rows of a matrix.
    func runFor(variable: String, variableSpan: SourceSpan, sequence: Expression, body: [Statement], span: SourceSpan) throws(Diagnostic) -> Flow {
        let items: [Value]
        switch try evaluate(sequence) {
        case .vector(let elements): items = elements.map(Value.scalar)
        case .matrix(let matrix): items = (0..<matrix.rows).map { .vector(matrix.row($0)) }
        case .scalar(let number): items = [.scalar(number)]
        case .text:
            throw Diagnostic(.expectedValue(what: "a vector or matrix to go over", got: "a string"), at: sequence.span)
        }
        if ParameterReference.split(variable) != nil || Builtins.isReservedConstant(variable) {
            throw Diagnostic(.assignmentToReservedName(variable), at: variableSpan)
        }
        if Session.isSessionValue(variable) { throw Diagnostic(.assignmentToSessionValue(variable), at: variableSpan) }
        for (index, item) in items.enumerated() {
            try checkInterrupt(iteration: index + 1, span: span)
            variables[variable] = item
            if try runBlock(body) == .quit { return .quit }
        }
        return .next
    }

    /// if COND { … } else { … }: a condition is one number, true when it is not 0.
    func runIf(condition: Expression, then: [Statement], otherwise: [Statement]?) throws(Diagnostic) -> Flow {
        let value = try evaluate(condition)
        guard case .scalar(let number) = value else {
            throw Diagnostic(.expectedValue(what: "one number as a condition (use all or any on vectors: min(v) > 0)", got: value.shapeDescription), at: condition.span)
        }
        if number != 0 { return try runBlock(then) }
        if let otherwise { return try runBlock(otherwise) }
        return .next
    }

    /// repeat N { … }
    func runRepeat(count: Expression, body: [Statement], span: SourceSpan) throws(Diagnostic) -> Flow {
        let times = try wholeNumber(count, what: "repeat", minimum: 0)
        for iteration in 0..<times {
            try checkInterrupt(iteration: iteration + 1, span: span)
            if try runBlock(body) == .quit { return .quit }
        }
        return .next
    }

    /// Stops a loop when Ctrl-C asked, between iterations, so nothing is left half done.
    private func checkInterrupt(iteration: Int, span: SourceSpan) throws(Diagnostic) {
        if interruptRequested() { throw Diagnostic(.interrupted(iteration: iteration), at: span) }
    }
}
