import NNEngine

/// The evaluator of resolved code (`Resolver`): statements, loops, variables by slot, user
/// functions with their parameters in a frame, numbers computed without a detour through
/// vectors. What it does not handle itself it hands to the general path, which gives every
/// statement and expression its one meaning.
extension Session {
    // MARK: - Statements

    /// Runs a resolved statement.
    func execute(_ statement: Int, in code: ResolvedCode) throws(Diagnostic) -> Flow {
        switch code.statements[statement] {
        case .assignment(let slot, let value, let source):
            let result = try evaluate(value, in: code)
            if case .text = result {
                // Strings are for printing; keeping them out of variables keeps arithmetic total.
                throw Diagnostic(.expectedValue(what: "a number, vector or matrix", got: "a string"), at: code.sources[source].span)
            }
            variables[slot: slot] = result
        case .expression(let expression, let source):
            write(try printable(try evaluate(expression, in: code), span: code.sources[source].span))
        case .forLoop(let slot, let sequence, let body, let source):
            return try runFor(slot: slot, sequence: sequence, body: body, in: code, source: source)
        case .conditional(let condition, let then, let otherwise):
            let value = try evaluate(condition, in: code)
            guard case .scalar(let number) = value else {
                throw Diagnostic(.expectedValue(what: "one number as a condition (use all or any on vectors: min(v) > 0)", got: value.shapeDescription),
                                 at: code.expression(of: condition).span)
            }
            if number != 0 { return try runBlock(then, in: code) }
            if let otherwise { return try runBlock(otherwise, in: code) }
        case .repeatLoop(let count, let body, let source):
            let span = code.expression(of: count).span
            let times = try wholeNumber(try evaluate(count, in: code), at: span, what: "repeat", minimum: 0)
            for iteration in 0..<times {
                try checkInterrupt(iteration: iteration + 1, span: code.sources[source].span)
                if try runBlock(body, in: code) == .quit { return .quit }
            }
        case .general(let source):
            return try executeGeneral(code.sources[source])
        }
        return .next
    }

    /// Runs the statements of a block, stopping early on `quit`.
    private func runBlock(_ block: Range<Int>, in code: ResolvedCode) throws(Diagnostic) -> Flow {
        for position in block where try execute(code.lists[position], in: code) == .quit { return .quit }
        return .next
    }

    /// for NAME in EXPR { … }: the elements of a vector, or the rows of a matrix.
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
        for index in 0..<count {
            try checkInterrupt(iteration: index + 1, span: statement.span)
            switch items {
            case .vector(let elements): variables[slot: slot] = .scalar(elements[index])
            case .matrix(let matrix): variables[slot: slot] = .vector(matrix.row(index))
            case .scalar, .text: variables[slot: slot] = items
            }
            if try runBlock(body, in: code) == .quit { return .quit }
        }
        return .next
    }

    /// Stops a loop when Ctrl-C asked, between iterations, so nothing is left half done.
    private func checkInterrupt(iteration: Int, span: SourceSpan) throws(Diagnostic) {
        if interruptRequested() { throw Diagnostic(.interrupted(iteration: iteration), at: span) }
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
            // No such variable: a constant, or the error the general path gives.
            let expression = code.expressions[source]
            guard case .name(let name) = expression.kind else { return try evaluate(expression) }
            return try lookUpOutsideFunction(name, span: expression.span, parameters: currentFunction?.definition.parameters ?? [])
        case .unary(let operation, let operand, let source):
            let value = try evaluate(operand, in: code)
            if case .scalar(let number) = value { return .scalar(Value.apply(operation, number)) }
            guard case .unary(_, let operandExpression) = code.expressions[source].kind else { return try evaluate(code.expressions[source]) }
            return try apply(operation, to: value, operandSpan: operandExpression.span)
        case .binary(let operation, let left, let right, let source):
            let leftValue = try evaluate(left, in: code)
            let rightValue = try evaluate(right, in: code)
            if case .scalar(let a) = leftValue, case .scalar(let b) = rightValue, operation != .matrixProduct {
                do {
                    return .scalar(try Value.apply(operation, a, b))
                } catch {
                    throw Diagnostic(error, at: code.expressions[source].span)
                }
            }
            return try apply(operation, leftValue, rightValue, span: code.expressions[source].span)
        case .userCall(let function, let arguments, let source):
            guard let resolved = functionTable[function] else {
                // Not defined (yet): the general path says so, with its suggestion.
                return try evaluate(code.expressions[source])
            }
            return try call(resolved, arguments: arguments, in: code, span: code.expressions[source].span)
        case .builtinCall(let arguments, let source):
            let expression = code.expressions[source]
            guard case .call(let name, _, _) = expression.kind, let builtin = Builtins.function(named: name) else { return try evaluate(expression) }
            try checkArgumentCount(of: builtin, count: arguments.count, span: expression.span)
            var values: [Value] = []
            for position in arguments { values.append(try evaluate(code.lists[position], in: code)) }
            return try at(expression.span) { () throws(Problem) in try Builtins.apply(name, to: values) }
        case .general(let source):
            return try evaluate(code.expressions[source])
        }
    }

    /// Calls a resolved user function: the arguments go on the frame stack, where its body
    /// reads them by position.
    private func call(_ function: ResolvedFunction, arguments: Range<Int>, in code: ResolvedCode, span: SourceSpan) throws(Diagnostic) -> Value {
        let base = locals.count
        defer { locals.removeLast(locals.count - base) }
        for position in arguments {
            let value = try evaluate(code.lists[position], in: code)
            locals.append(value)
        }
        guard let body = function.body else {
            // A body with parts only the general path evaluates runs there, its parameters by name.
            return try call(function.definition, with: Array(locals[base...]), span: span)
        }
        try enterCall(function.definition, argumentCount: arguments.count, span: span)
        let (outerBase, outerFunction) = (frameBase, currentFunction)
        (frameBase, currentFunction, callDepth) = (base, function, callDepth + 1)
        defer { (frameBase, currentFunction, callDepth) = (outerBase, outerFunction, callDepth - 1) }
        return try evaluate(body, in: function.code)
    }
}

extension ResolvedCode {
    /// The expression as written that a node was resolved from.
    func expression(of node: Int) -> Expression {
        switch nodes[node] {
        case .number(_, let source), .local(_, let source), .global(_, let source), .unary(_, _, let source),
             .binary(_, _, _, let source), .userCall(_, _, let source), .builtinCall(_, let source), .general(let source):
            return expressions[source]
        }
    }
}
