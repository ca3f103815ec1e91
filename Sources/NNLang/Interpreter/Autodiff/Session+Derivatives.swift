import NNEngine

/// `grad(EXPR, VAR)`, `deriv(f, x)` and `jacobian(f, x)`: reverse-mode automatic differentiation
/// of the language's own expressions.
extension Session {
    /// A recorded expression: the tape, the node of its value and the node of the variable.
    struct RecordedGraph {
        var tape: Tape
        var output: Int
        /// The variable's node; nil when EXPR never mentions it.
        var variable: Int?
        var variableName: String
        var variableValue: Value
    }

    /// grad(EXPR, VAR): ∂EXPR/∂VAR, shaped like VAR, for a scalar EXPR.
    func gradient(of expression: Expression, withRespectTo variable: Expression, span: SourceSpan) throws(Diagnostic) -> Value {
        let graph = try recordGraph(of: expression, withRespectTo: variable)
        return try gradient(of: graph, expression: expression)
    }

    /// The gradient of a recorded scalar, zeros where the variable does not reach it.
    func gradient(of graph: RecordedGraph, expression: Expression) throws(Diagnostic) -> Value {
        let result = graph.tape.nodes[graph.output].value
        guard case .scalar = result else {
            throw Diagnostic(.gradientOfNonScalar(got: result.shapeDescription), at: expression.span)
        }
        let adjoints = graph.tape.adjoints(of: graph.output, seed: .scalar(1))
        return graph.variable.flatMap { adjoints[$0] } ?? graph.variableValue.map { _ in 0 }
    }

    /// Records EXPR with VAR as the variable, after checking that VAR names one.
    func recordGraph(of expression: Expression, withRespectTo variable: Expression) throws(Diagnostic) -> RecordedGraph {
        let name = try variableName(variable)
        let value = try evaluate(variable)
        var differentiator = Differentiator(session: self, variableName: name, value: value)
        let output = try differentiator.record(expression)
        return RecordedGraph(tape: differentiator.tape, output: output, variable: differentiator.variableNode, variableName: name, variableValue: value)
    }

    /// VAR's name: a variable, a function's parameter, or a whole weight matrix or bias vector.
    private func variableName(_ variable: Expression) throws(Diagnostic) -> String {
        guard let name = variable.bareName else {
            throw Diagnostic(.expectedVariable(got: "an expression"), at: variable.span)
        }
        if name == "loss" || (Builtins.constants[name] != nil && variables[name] == nil && scopes.last?[name] == nil) {
            throw Diagnostic(.expectedVariable(got: "'\(name)', which is not a variable"), at: variable.span)
        }
        if let (family, _) = ParameterReference.split(name), family == .numberedWeight, scopes.last?[name] == nil {
            throw Diagnostic(.expectedVariable(got: "the single weight '\(name)' (use the matrix it is in, such as W2)"), at: variable.span)
        }
        return name
    }

    // MARK: - Functions of one argument

    /// The name of a function `deriv` and `jacobian` can differentiate: the user's or a builtin
    /// operation such as an activation, exp or sum.
    private func differentiableFunction(_ expression: Expression) throws(Diagnostic) -> String {
        guard let name = expression.bareName else {
            throw Diagnostic(.expectedValue(what: "a function's name, like f or sigmoid", got: "an expression"), at: expression.span)
        }
        guard functions[name] != nil || Operation(function: name) != nil else {
            let candidates = Array(functions.keys) + Activation.names + ["exp", "log", "ln", "sin", "cos", "sqrt", "abs", "sum", "mean", "max", "min"]
            throw Diagnostic(.unknownFunction(name, suggestion: Suggestion.closest(to: name, among: candidates)), at: expression.span)
        }
        return name
    }

    /// f(x) recorded with x as the variable, under a name no program can spell.
    private func recordCall(of function: Expression, at point: Value, span: SourceSpan) throws(Diagnostic) -> RecordedGraph {
        let name = try differentiableFunction(function)
        let variableName = "#x"
        var differentiator = Differentiator(session: self, variableName: variableName, value: point)
        let call = Expression(.call(name: name, nameSpan: function.span, arguments: [Expression(.name(variableName), span: span)]), span: span)
        let output = try differentiator.record(call)
        return RecordedGraph(tape: differentiator.tape, output: output, variable: differentiator.variableNode, variableName: variableName, variableValue: point)
    }

    /// deriv(f, x): f'(x) by automatic differentiation. For a vector or matrix x it is, like
    /// numderiv, the derivative of each element: ∂ Σ f(x) / ∂x, which is f'(xᵢ) for elementwise f.
    func derivative(of function: Expression, at point: Value, span: SourceSpan) throws(Diagnostic) -> Value {
        if case .text = point { throw Diagnostic(.expectedValue(what: "a number, vector or matrix", got: "a string"), at: span) }
        var graph = try recordCall(of: function, at: point, span: span)
        if case .scalar = graph.tape.nodes[graph.output].value {} else {
            let output = graph.output
            graph.output = try at(span) { () throws(Problem) in try graph.tape.record(.sum, [output]) }
        }
        let adjoints = graph.tape.adjoints(of: graph.output, seed: .scalar(1))
        return graph.variable.flatMap { adjoints[$0] } ?? point.map { _ in 0 }
    }

    /// jacobian(f, x): J[i, j] = ∂f_i/∂x_j for f of a scalar or vector, one reverse pass per output.
    func jacobian(of function: Expression, at point: Value, span: SourceSpan) throws(Diagnostic) -> Value {
        switch point {
        case .scalar, .vector: break
        default: throw Diagnostic(.expectedValue(what: "a number or vector for jacobian's x", got: point.shapeDescription), at: span)
        }
        let graph = try recordCall(of: function, at: point, span: span)
        let output = graph.tape.nodes[graph.output].value
        switch output {
        case .scalar, .vector: break
        default: throw Diagnostic(.expectedValue(what: "a function whose value is a number or vector", got: output.shapeDescription), at: span)
        }
        let inputCount = point.elements.count
        let size = output.elements.count.multipliedReportingOverflow(by: inputCount)
        let count = size.overflow ? Int.max : size.partialValue
        guard count <= settings.maxElements else {
            throw Diagnostic(.tooManyElements(count: count, limit: settings.maxElements), at: span)
        }
        try settings.checkMemory(MemoryBudget.bytes(ofNumbers: count), for: "a \(output.elements.count)×\(inputCount) jacobian", at: span)
        var rows: [[Double]] = []
        for index in output.elements.indices {
            if interruptRequested() { throw Diagnostic(.interruptedPart(done: index, of: "of \(output.elements.count) jacobian rows"), at: span) }
            let seed = Elementwise.oneHot(like: output, at: index, value: 1)
            let adjoints = graph.tape.adjoints(of: graph.output, seed: seed)
            rows.append(graph.variable.flatMap { adjoints[$0] }?.elements ?? Array(repeating: 0, count: inputCount))
        }
        return .matrix(Matrix(rows))
    }
}
