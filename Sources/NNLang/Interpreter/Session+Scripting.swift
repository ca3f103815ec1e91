import NNEngine

/// User functions: `def` and calls by the general path (the resolved path's are in
/// `Session+Resolved.swift`, as are `for`, `if` and `repeat`).
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
        functionTable[functionSlot(for: definition.name)] = Resolver.resolve(definition, in: self)
    }

    /// The slot of the user function `name` in `functionTable`, given it now when it has none.
    func functionSlot(for name: String) -> Int {
        if let slot = functionSlots[name] { return slot }
        functionSlots[name] = functionTable.count
        functionTable.append(nil)
        return functionTable.count - 1
    }

    /// Calls a user function: its parameters bound to the values, in a scope of their own.
    func call(_ definition: FunctionDefinition, with values: [Value], span: SourceSpan) throws(Diagnostic) -> Value {
        try enterCall(definition, argumentCount: values.count, span: span)
        scopes.append(Dictionary(uniqueKeysWithValues: zip(definition.parameters, values)))
        defer { scopes.removeLast() }
        return try evaluate(definition.body)
    }

    /// What every call checks before its body runs: the number of arguments, the depth of
    /// calls, and Ctrl-C.
    func enterCall(_ definition: FunctionDefinition, argumentCount: Int, span: SourceSpan) throws(Diagnostic) {
        guard argumentCount == definition.parameters.count else {
            let count = definition.parameters.count
            throw Diagnostic(.wrongArgumentCount(
                function: "\(definition.name)(\(definition.parameters.joined(separator: ", ")))",
                expected: "\(count) \(count == 1 ? "argument" : "arguments")", got: argumentCount), at: span)
        }
        let depth = scopes.count + callDepth
        guard depth < Session.callDepthLimit else {
            throw Diagnostic(.recursionTooDeep(function: definition.name, limit: Session.callDepthLimit), at: span)
        }
        try countCall(depth: depth, span: span)
    }

    /// Counts a call that starts at `depth` and asks whether to stop: each call asks, so a
    /// function that fans out (f(n-1) + f(n-1)) stops on Ctrl-C.
    func countCall(depth: Int, span: SourceSpan) throws(Diagnostic) {
        functionCalls = depth == 0 ? 0 : functionCalls + 1
        if interruptRequested() {
            throw Diagnostic(.interruptedPart(done: functionCalls, of: functionCalls == 1 ? "function call" : "function calls"), at: span)
        }
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
}
