import NNEngine

/// The evaluator of resolved code (`Resolver`): statements, loops, variables by slot, user
/// functions with their parameters in a frame, numbers computed without a detour through
/// vectors. What it does not handle itself it hands to the general path, which gives every
/// statement and expression its one meaning.
extension Session {
    // MARK: - Statements

    // The statements and expressions that loops repeat most (assignments, arithmetic, reading
    // variables) are handled in `execute` and `evaluate` themselves; the rest is in functions of
    // their own (`@inline(never)`), which keeps the two small and fast.

    /// Runs a resolved statement.
    func execute(_ statement: Int, in code: ResolvedCode) throws(Diagnostic) -> Flow {
        switch code.statements[statement] {
        case .assignment(let slot, let value, let source):
            let result = try evaluate(value, in: code)
            if case .text = result { try refuseText(at: code.sources[source].span) }
            variables[slot: slot] = result
        case .expression(let expression, let source):
            try printValue(of: expression, in: code, source: source)
        case .forLoop(let slot, let sequence, let body, let source):
            return try runFor(slot: slot, sequence: sequence, body: body, in: code, source: source)
        case .forRange(let slot, let bounds, let range, let body, let source):
            return try runForRange(slot: slot, bounds: bounds, range: range, body: body, in: code, source: source)
        case .conditional(let condition, let then, let otherwise):
            return try runIf(condition: condition, then: then, otherwise: otherwise, in: code)
        case .repeatLoop(let count, let body, let source):
            return try runRepeat(count: count, body: body, in: code, source: source)
        case .general(let source):
            return try executeGeneral(code.sources[source])
        }
        return .next
    }

    /// Strings are for printing; keeping them out of variables keeps arithmetic total.
    @inline(never)
    private func refuseText(at span: SourceSpan) throws(Diagnostic) {
        throw Diagnostic(.expectedValue(what: "a number, vector or matrix", got: "a string"), at: span)
    }

    /// A bare expression: its value printed.
    @inline(never)
    private func printValue(of expression: Int, in code: ResolvedCode, source: Int) throws(Diagnostic) {
        write(try printable(try evaluate(expression, in: code), span: code.sources[source].span))
    }

    /// if COND { … } else { … }: a condition is one number, true when it is not 0.
    @inline(never)
    private func runIf(condition: Int, then: Range<Int>, otherwise: Range<Int>?, in code: ResolvedCode) throws(Diagnostic) -> Flow {
        let value = try evaluate(condition, in: code)
        guard case .scalar(let number) = value else {
            throw Diagnostic(.expectedValue(what: "one number as a condition (use all or any on vectors: min(v) > 0)", got: value.shapeDescription),
                             at: code.expression(of: condition).span)
        }
        if number != 0 { return try runBlock(then, in: code) }
        if let otherwise { return try runBlock(otherwise, in: code) }
        return .next
    }

    /// repeat N { … }
    @inline(never)
    private func runRepeat(count: Int, body: Range<Int>, in code: ResolvedCode, source: Int) throws(Diagnostic) -> Flow {
        let span = code.expression(of: count).span
        let times = try wholeNumber(try evaluate(count, in: code), at: span, what: "repeat", minimum: 0)
        let interrupted = interruptRequested  // read once: each read of the closure retains it
        for iteration in 0..<times {
            if interrupted() { try stopLoop(iteration: iteration + 1, span: code.sources[source].span) }
            if try runBlock(body, in: code) == .quit { return .quit }
        }
        return .next
    }

    /// Runs the statements of a block, stopping early on `quit`.
    @inline(__always)
    private func runBlock(_ block: Range<Int>, in code: ResolvedCode) throws(Diagnostic) -> Flow {
        for position in block where try execute(code.lists[position], in: code) == .quit { return .quit }
        return .next
    }

    /// for NAME in EXPR { … }: the elements of a vector, or the rows of a matrix.
    @inline(never)
    private func runFor(slot: Int?, sequence: Int, body: Range<Int>, in code: ResolvedCode, source: Int) throws(Diagnostic) -> Flow {
        let statement = code.sources[source]
        guard case .forLoop(let variable, let variableSpan, let sequenceExpression, _) = statement.kind else { return .next }
        let items = try evaluate(sequence, in: code)
        if case .text = items {
            throw Diagnostic(.expectedValue(what: "a vector or matrix to go over", got: "a string"), at: sequenceExpression.span)
        }
        guard let slot else {
            // The resolver gives no slot to a name a loop may not take.
            if Session.isSessionValue(variable) { throw Diagnostic(.assignmentToSessionValue(variable), at: variableSpan) }
            throw Diagnostic(.assignmentToReservedName(variable), at: variableSpan)
        }
        let count: Int
        switch items {
        case .vector(let elements): count = elements.count
        case .matrix(let matrix): count = matrix.rows
        case .scalar, .text: count = 1
        }
        let interrupted = interruptRequested  // read once: each read of the closure retains it
        for index in 0..<count {
            if interrupted() { try stopLoop(iteration: index + 1, span: statement.span) }
            switch items {
            case .vector(let elements): variables[slot: slot] = .scalar(elements[index])
            case .matrix(let matrix): variables[slot: slot] = .vector(matrix.row(index))
            case .scalar, .text: variables[slot: slot] = items
            }
            if try runBlock(body, in: code) == .quit { return .quit }
        }
        return .next
    }

    /// for NAME in range(a, b[, step]) { … }: as a loop over the vector `range` gives, with its
    /// errors, without making the vector.
    @inline(never)
    private func runForRange(slot: Int?, bounds: Range<Int>, range: Int, body: Range<Int>, in code: ResolvedCode, source: Int) throws(Diagnostic) -> Flow {
        let statement = code.sources[source]
        guard case .forLoop(let variable, let variableSpan, _, _) = statement.kind else { return .next }
        var numbers: [Double] = []
        for position in bounds {
            let node = code.lists[position]
            numbers.append(try number(try evaluate(node, in: code), at: code.expression(of: node).span, what: "range's bounds"))
        }
        let sequence = try at(code.expressions[range].span) { () throws(Problem) in try RangeSequence(numbers) }
        guard let slot else {
            if Session.isSessionValue(variable) { throw Diagnostic(.assignmentToSessionValue(variable), at: variableSpan) }
            throw Diagnostic(.assignmentToReservedName(variable), at: variableSpan)
        }
        let interrupted = interruptRequested  // read once: each read of the closure retains it
        for index in 0..<sequence.count {
            if interrupted() { try stopLoop(iteration: index + 1, span: statement.span) }
            variables[slot: slot] = .scalar(sequence.element(index))
            if try runBlock(body, in: code) == .quit { return .quit }
        }
        return .next
    }

    /// Stops a loop when Ctrl-C asked, between iterations, so nothing is left half done.
    @inline(never)
    private func stopLoop(iteration: Int, span: SourceSpan) throws(Diagnostic) {
        throw Diagnostic(.interrupted(iteration: iteration), at: span)
    }

    // MARK: - Expressions

    /// The value of a resolved expression.
    func evaluate(_ node: Int, in code: ResolvedCode) throws(Diagnostic) -> Value {
        switch code.nodes[node] {
        case .number(let number, _):
            return .scalar(number)
        case .local(let index, _):
            return locals[frameBase + index]
        case .global(let slot, let source):
            if let value = variables[slot: slot] { return value }
            return try lookUpUnassigned(source, in: code)
        case .unary(let operation, let operand, let source):
            let value = try evaluate(operand, in: code)
            if case .scalar(let number) = value { return .scalar(Value.apply(operation, number)) }
            return try apply(operation, to: value, source: source, in: code)
        case .binary(let operation, let left, let right, let source):
            var leftValue = try operand(left, in: code)
            var rightValue = try operand(right, in: code)
            if case .scalar(let a) = leftValue, case .scalar(let b) = rightValue, operation != .matrixProduct {
                do {
                    return .scalar(try Value.apply(operation, a, b))
                } catch {
                    throw Diagnostic(error, at: code.expressions[source].span)
                }
            }
            // A temporary operand (`v * v` in `v * v + 1`) takes the result in its own storage.
            if code.isTemporary(left) || code.isTemporary(right) {
                do {
                    if let result = try Value.applyInPlace(operation, &leftValue, &rightValue, leftIsTemporary: code.isTemporary(left),
                                                           rightIsTemporary: code.isTemporary(right)) {
                        return result
                    }
                } catch {
                    throw Diagnostic(error, at: code.expressions[source].span)
                }
            }
            return try applyToValues(operation, leftValue, rightValue, span: code.expressions[source].span)
        case .userCall(let function, let arguments, let source):
            guard let resolved = functionTable[function] else {
                // Not defined (yet): the general path says so, with its suggestion.
                return try evaluate(code.expressions[source])
            }
            return try call(resolved, arguments: arguments, in: code, span: code.expressions[source].span)
        case .builtinCall(let arguments, let arity, let source):
            return try callBuiltin(arguments: arguments, arity: arity, source: source, in: code)
        case .general(let source):
            return try evaluate(code.expressions[source])
        }
    }

    /// A name without a variable: a constant, or the error the general path gives.
    @inline(never)
    private func lookUpUnassigned(_ source: Int, in code: ResolvedCode) throws(Diagnostic) -> Value {
        let expression = code.expressions[source]
        guard case .name(let name) = expression.kind else { return try evaluate(expression) }
        return try lookUpOutsideFunction(name, span: expression.span, parameters: code.parameters)
    }

    /// `OP value` on a vector, a matrix or a string.
    @inline(never)
    private func apply(_ operation: UnaryOperator, to value: Value, source: Int, in code: ResolvedCode) throws(Diagnostic) -> Value {
        guard case .unary(_, let operand) = code.expressions[source].kind else { return try evaluate(code.expressions[source]) }
        return try apply(operation, to: value, operandSpan: operand.span)
    }

    /// A builtin that takes values: the number of arguments checked before they are evaluated.
    @inline(never)
    private func callBuiltin(arguments: Range<Int>, arity: ClosedRange<Int>, source: Int, in code: ResolvedCode) throws(Diagnostic) -> Value {
        let expression = code.expressions[source]
        guard case .call(let name, _, _) = expression.kind else { return try evaluate(expression) }
        if !arity.contains(arguments.count), let builtin = Builtins.function(named: name) {
            try checkArgumentCount(of: builtin, count: arguments.count, span: expression.span)
        }
        var values: [Value] = []
        for position in arguments { values.append(try evaluate(code.lists[position], in: code)) }
        return try at(expression.span) { () throws(Problem) in try Builtins.apply(name, to: values) }
    }

    /// The value of an operator's operand: a variable or a number read in place, without a
    /// call of `evaluate`, as most operands are.
    @inline(__always)
    private func operand(_ node: Int, in code: ResolvedCode) throws(Diagnostic) -> Value {
        switch code.nodes[node] {
        case .number(let number, _): return .scalar(number)
        case .local(let index, _): return locals[frameBase + index]
        case .global(let slot, _):
            if let value = variables[slot: slot] { return value }
            return try evaluate(node, in: code)
        default: return try evaluate(node, in: code)
        }
    }

    /// `left OP right` when one side is not a number.
    @inline(never)
    private func applyToValues(_ operation: BinaryOperator, _ leftValue: Value, _ rightValue: Value, span: SourceSpan) throws(Diagnostic) -> Value {
        try apply(operation, leftValue, rightValue, span: span)
    }

    /// Calls a resolved user function: the arguments go on the frame stack, where its body
    /// reads them by position.
    @inline(never)
    private func call(_ function: ResolvedFunction, arguments: Range<Int>, in code: ResolvedCode, span: SourceSpan) throws(Diagnostic) -> Value {
        let base = locals.count
        defer { while locals.count > base { locals.removeLast() } }
        for position in arguments {
            let value = try evaluate(code.lists[position], in: code)
            locals.append(value)
        }
        guard let body = function.body else {
            // A body with parts only the general path evaluates runs there, its parameters by name.
            return try call(function.definition, with: Array(locals[base...]), span: span)
        }
        let depth = scopes.count + callDepth
        guard arguments.count == function.parameterCount, depth < Session.callDepthLimit else {
            // One of the two is wrong: the general path's checks throw its diagnostic.
            try enterCall(function.definition, argumentCount: arguments.count, span: span)
            return .scalar(.nan)  // not reached
        }
        try countCall(depth: depth, span: span)
        let outerBase = frameBase
        (frameBase, callDepth) = (base, callDepth + 1)
        defer { (frameBase, callDepth) = (outerBase, callDepth - 1) }
        return try evaluate(body, in: function.code)
    }
}

extension ResolvedCode {
    /// The expression as written that a node was resolved from.
    func expression(of node: Int) -> Expression {
        switch nodes[node] {
        case .number(_, let source), .local(_, let source), .global(_, let source), .unary(_, _, let source),
             .binary(_, _, _, let source), .userCall(_, _, let source), .builtinCall(_, _, let source), .general(let source):
            return expressions[source]
        }
    }
}
