import NNEngine

/// Evaluation of expressions.
extension Session {
    /// The value of an expression.
    public func evaluate(_ expression: Expression) throws(Diagnostic) -> Value {
        switch expression.kind {
        case .number(let number):
            return .scalar(number)
        case .string(let text):
            return .text(text)
        case .name(let name):
            return try lookUp(name, span: expression.span)
        case .list(let elements):
            return try list(elements, span: expression.span)
        case .index(let name, let nameSpan, let indexExpressions):
            let subscripts = try evaluateSubscripts(indexExpressions)
            if subscripts.contains(where: \.isSlice) {
                return try slice(name, nameSpan: nameSpan, subscripts, span: expression.span)
            }
            var indices: [Int] = []
            for item in subscripts {
                indices.append(try wholeNumber(item.value, at: item.span, what: "an index", minimum: 1))
            }
            if ParameterReference.split(name) != nil {
                guard let network = workspace.network else { throw Diagnostic(.parameterOutsideNetwork(name), at: nameSpan) }
                let reference = try at(expression.span) { () throws(Problem) in try ParameterReference.resolve(name: name, indices: indices, in: network, convention: settings.convention) }
                return reference.value(in: network, convention: settings.convention)
            }
            let base = try lookUp(name, span: nameSpan)
            return .scalar(try at(expression.span) { () throws(Problem) in try base.element(at: indices, name: name) })
        case .unary(let operation, let operand):
            return try apply(operation, to: try evaluate(operand), operandSpan: operand.span)
        case .binary(let operation, let left, let right):
            let leftValue = try evaluate(left)
            let rightValue = try evaluate(right)
            return try apply(operation, leftValue, rightValue, span: expression.span)
        case .call(let name, let nameSpan, let arguments):
            return try call(name, nameSpan: nameSpan, arguments: arguments, span: expression.span)
        case .range:
            throw Diagnostic(.rangeOutsideIndex, at: expression.span)
        }
    }

    /// `OP value`; `operandSpan` is where a string given to it is.
    func apply(_ operation: UnaryOperator, to value: Value, operandSpan: SourceSpan) throws(Diagnostic) -> Value {
        switch value {
        case .scalar(let number): return .scalar(Value.apply(operation, number))
        case .text: throw Diagnostic(.expectedValue(what: "a number, vector or matrix", got: "a string"), at: operandSpan)
        case .vector, .matrix: return value.map { Value.apply(operation, $0) }
        }
    }

    /// `left OP right`, the whole expression at `span`.
    func apply(_ operation: BinaryOperator, _ leftValue: Value, _ rightValue: Value, span: SourceSpan) throws(Diagnostic) -> Value {
        if operation == .matrixProduct {
            if case .matrix(let a) = leftValue, case .matrix(let b) = rightValue {
                let size = a.rows.multipliedReportingOverflow(by: b.columns)
                try settings.checkNumbers(size.overflow ? nil : size.partialValue, for: "a \(a.rows)×\(b.columns) product", at: span)
            }
            let poll = StopPoll(every: 1, interruptRequested)
            return try at(span) { () throws(Problem) in try Value.matrixProduct(leftValue, rightValue, poll: poll) }
        }
        if case .scalar(let a) = leftValue, case .scalar(let b) = rightValue {
            return .scalar(try at(span) { () throws(Problem) in try Value.apply(operation, a, b) })
        }
        return try at(span) { () throws(Problem) in try Value.apply(operation, leftValue, rightValue) }
    }

    /// A name's value: a parameter of the function being called, of the network, `loss`, or a variable.
    private func lookUp(_ name: String, span: SourceSpan) throws(Diagnostic) -> Value {
        if let local = scopes.last?[name] { return local }
        return try lookUpOutsideFunction(name, span: span, parameters: Array(scopes.last?.keys ?? [:].keys))
    }

    /// A name's value when it is not a parameter of the function being called (`parameters`,
    /// for "did you mean").
    func lookUpOutsideFunction(_ name: String, span: SourceSpan, parameters: [String]) throws(Diagnostic) -> Value {
        if ParameterReference.split(name) != nil {
            guard let network = workspace.network else { throw Diagnostic(.parameterOutsideNetwork(name), at: span) }
            let reference = try at(span) { () throws(Problem) in try ParameterReference.resolve(name: name, indices: nil, in: network, convention: settings.convention) }
            return reference.value(in: network, convention: settings.convention)
        }
        if name == "loss" {
            return .scalar(try workspace.currentLoss(command: "loss", span: span))
        }
        if let value = try sessionValue(name, span: span) { return value }
        if let value = variables[name] { return value }
        if let constant = Builtins.constants[name] { return .scalar(constant) }
        if Builtins.function(named: name) != nil || functions[name] != nil {
            throw Diagnostic(.expectedValue(what: "a value", got: "the function '\(name)' (call it: \(name)(…))"), at: span)
        }
        let candidates = variables.keys + parameters + ["loss"] + Session.sessionValues.map(\.name)
            + Builtins.names + Array(functions.keys) + ["true", "false"]  // not e or pi: one edit from every one-letter name
        throw Diagnostic(.unknownName(name, suggestion: Suggestion.closest(to: name, among: candidates)), at: span)
    }

    /// `[…]`: a vector of numbers, or a matrix whose rows are vectors of one length.
    private func list(_ elements: [Expression], span: SourceSpan) throws(Diagnostic) -> Value {
        guard !elements.isEmpty else { throw Diagnostic(.emptyList, at: span) }
        var values: [Value] = []
        for element in elements { values.append(try evaluate(element)) }
        if values.allSatisfy({ if case .scalar = $0 { return true } else { return false } }) {
            return .vector(values.flatMap(\.elements))
        }
        var rows: [[Double]] = []
        for (index, (value, element)) in zip(values, elements).enumerated() {
            switch value {
            case .vector(let row):
                if let first = rows.first, first.count != row.count {
                    throw Diagnostic(.raggedMatrix(row: index + 1, count: row.count, expected: first.count), at: element.span)
                }
                rows.append(row)
            case .matrix:
                throw Diagnostic(.tooManyDimensions, at: element.span)
            case .scalar, .text:
                throw Diagnostic(.expectedValue(what: "a row like [1, 2] in a matrix", got: value.shapeDescription), at: element.span)
            }
        }
        return .matrix(Matrix(rows))
    }

    // MARK: - Calls

    private func call(_ name: String, nameSpan: SourceSpan, arguments: [Expression], span: SourceSpan) throws(Diagnostic) -> Value {
        if let definition = functions[name] {
            var values: [Value] = []
            for argument in arguments { values.append(try evaluate(argument)) }
            return try call(definition, with: values, span: span)
        }
        guard let function = Builtins.function(named: name) else {
            let suggestion = Suggestion.closest(to: name, among: Builtins.names + Array(functions.keys))
            throw Diagnostic(.unknownFunction(name, suggestion: suggestion), at: nameSpan)
        }
        try checkArgumentCount(of: function, count: arguments.count, span: span)
        let argument = arguments[0]
        switch name {
        case "grad":
            if arguments.count == 2 { return try gradient(of: argument, withRespectTo: arguments[1], span: span) }
            guard ParameterReference.isParameterSyntax(argument) else {
                throw Diagnostic(.expectedParameter(command: "grad"), at: argument.span)
            }
            return try gradient(of: argument, command: "grad").value
        case "numderiv":
            let step = arguments.count > 2 ? try number(arguments[2], what: "h") : 0.001
            guard step > 0 else { throw Diagnostic(.settingOutOfRange(setting: "h", range: "greater than 0", got: formatter.format(step)), at: arguments[2].span) }
            return try numericDerivative(of: argument, at: try evaluate(arguments[1]), step: step, span: span)
        case "deriv":
            return try derivative(of: argument, at: try evaluate(arguments[1]), span: span)
        case "jacobian":
            return try jacobian(of: argument, at: try evaluate(arguments[1]), span: span)
        case "range":
            var bounds: [Double] = []
            for argument in arguments { bounds.append(try number(argument, what: "range's bounds")) }
            return try at(span) { () throws(Problem) in try Builtins.range(bounds) }
        case "predict":
            return try prediction(for: try evaluate(argument), span: argument.span)
        case "hcat", "vcat":
            var values: [Value] = []
            for argument in arguments { values.append(try evaluate(argument)) }
            // 64 pieces of max_elements each would be 64 times the limit.
            let count = values.reduce(0) { $0 + $1.elements.count }
            try settings.checkNumbers(count, for: "\(name) of \(count) numbers", at: span)
            return try at(span) { () throws(Problem) in try Builtins.join(values, horizontal: name == "hcat") }
        case "rows", "cols":
            let value = try evaluate(argument)
            return try at(span) { () throws(Problem) in try Builtins.dimension(name, of: value) }
        case "onehot":
            let labels = try evaluate(argument)
            let classCount = try wholeNumber(arguments[1], what: "onehot's K", minimum: 1, maximum: settings.maxElements)
            let size = labels.elements.count.multipliedReportingOverflow(by: classCount)
            try settings.checkNumbers(size.overflow ? nil : size.partialValue, for: "a one-hot matrix of \(classCount) columns", at: span)
            return try at(argument.span) { () throws(Problem) in try Builtins.oneHot(labels, classCount: classCount) }
        default:
            var values: [Value] = []
            for argument in arguments { values.append(try evaluate(argument)) }
            return try at(span) { () throws(Problem) in try Builtins.apply(name, to: values) }
        }
    }

    /// Refuses a call of a builtin with a number of arguments it does not take.
    func checkArgumentCount(of function: BuiltinFunction, count: Int, span: SourceSpan) throws(Diagnostic) {
        guard !function.arity.contains(count) else { return }
        let expected = function.arity.count == 1
            ? "\(function.arity.lowerBound) \(function.arity.lowerBound == 1 ? "argument" : "arguments")"
            : "\(function.arity.lowerBound) to \(function.arity.upperBound) arguments"
        throw Diagnostic(.wrongArgumentCount(function: function.signature, expected: expected, got: count), at: span)
    }

    // MARK: - The network as values

    /// ∂E/∂PARAM on the whole data set, and the label printed for it (`∂E/∂w5`).
    func gradient(of parameter: Expression, command: String) throws(Diagnostic) -> (label: String, value: Value) {
        let (network, data) = try workspace.requireTrainingSetup(command: command, span: parameter.span)
        let reference = try parameterReference(parameter, in: network)
        // Backpropagation goes no lower than the parameter's layer.
        let gradients = network.wholeDataGradients(input: data.inputs, target: data.targets, loss: workspace.loss,
                                                   lowestLayer: reference.layer - 1)
        // The user's own spelling for single weights (`w5`), the canonical one otherwise.
        let name = parameter.bareName ?? reference.name(in: settings.convention)
        return ("∂E/∂\(name)", reference.value(in: gradients, convention: settings.convention))
    }

    /// Resolves a parameter expression (`w5`, `W2[1,2]`) against the network.
    func parameterReference(_ parameter: Expression, in network: Network) throws(Diagnostic) -> ParameterReference {
        switch parameter.kind {
        case .name(let name):
            return try at(parameter.span) { () throws(Problem) in try ParameterReference.resolve(name: name, indices: nil, in: network, convention: settings.convention) }
        case .index(let name, _, let indexExpressions):
            let indices = try indexValues(indexExpressions)
            return try at(parameter.span) { () throws(Problem) in try ParameterReference.resolve(name: name, indices: indices, in: network, convention: settings.convention) }
        default:
            throw Diagnostic(.expectedParameter(command: "grad"), at: parameter.span)
        }
    }

    /// The network's output for inputs given as a value; a vector in gives a vector out.
    func prediction(for inputs: Value, span: SourceSpan) throws(Diagnostic) -> Value {
        let network = try workspace.requireLayers(command: "predict", span: span)
        let matrix = try preparedInputs(try sampleMatrix(inputs, what: "inputs", span: span), span: span)
        guard matrix.columns == network.inputCount else {
            throw Diagnostic(.inputWidthMismatch(what: "the input", columns: matrix.columns, inputs: network.inputCount), at: span)
        }
        let output = network.wholeDataPredict(matrix)
        if case .vector = inputs { return .vector(output.row(0)) }
        return .matrix(output)
    }

    /// A value as samples, one per row, with every number finite.
    func sampleMatrix(_ value: Value, what: String, span: SourceSpan) throws(Diagnostic) -> Matrix {
        guard let matrix = value.asSampleMatrix else {
            throw Diagnostic(.expectedValue(what: "a matrix of \(what), one sample per row", got: value.shapeDescription), at: span)
        }
        guard matrix.isFinite else {
            throw Diagnostic(.expectedValue(what: "finite \(what)", got: "NaN or infinity"), at: span)
        }
        return matrix
    }

    // MARK: - Numbers for command arguments

    /// A whole number ≥ `minimum`, from an expression (`layer 2.5` is an error).
    func wholeNumber(_ expression: Expression, what: String, minimum: Int, maximum: Int = 1_000_000_000) throws(Diagnostic) -> Int {
        try wholeNumber(try evaluate(expression), at: expression.span, what: what, minimum: minimum, maximum: maximum)
    }

    /// A whole number ≥ `minimum`, from a value an expression at `span` gave.
    func wholeNumber(_ value: Value, at span: SourceSpan, what: String, minimum: Int, maximum: Int = 1_000_000_000) throws(Diagnostic) -> Int {
        guard case .scalar(let number) = value, number.isFinite, number.rounded() == number,
            number >= Double(minimum), number <= Double(maximum)
        else {
            // State the upper bound when it is the one broken: `set precision 18` is ≥ 1.
            var tooLarge = false
            if case .scalar(let number) = value, number > Double(maximum) { tooLarge = true }
            let expected = tooLarge ? "a whole number from \(minimum) to \(maximum)" : "a whole number ≥ \(minimum)"
            throw Diagnostic(.expectedValue(what: "\(expected) for \(what)", got: messageText(value)), at: span)
        }
        return Int(number)
    }

    /// A finite number, from an expression.
    func number(_ expression: Expression, what: String) throws(Diagnostic) -> Double {
        try number(try evaluate(expression), at: expression.span, what: what)
    }

    /// A finite number, from a value an expression at `span` gave.
    func number(_ value: Value, at span: SourceSpan, what: String) throws(Diagnostic) -> Double {
        guard case .scalar(let number) = value, number.isFinite else {
            throw Diagnostic(.expectedValue(what: "a number for \(what)", got: messageText(value)), at: span)
        }
        return number
    }

    /// `true`/`false` (or 1/0) from an option, or the default when it is absent.
    func boolean(_ option: CommandOption?, default defaultValue: Bool) throws(Diagnostic) -> Bool {
        guard let option else { return defaultValue }
        switch option.value.bareName {
        case "true": return true
        case "false": return false
        case let word? where variables[word] == nil:
            throw Diagnostic(.expectedValue(what: "true or false for \(option.name)", got: "'\(word)'"), at: option.value.span)
        default:
            let value = try evaluate(option.value)
            if case .scalar(let number) = value, number == 0 || number == 1 { return number == 1 }
            throw Diagnostic(.expectedValue(what: "true or false for \(option.name)", got: messageText(value)), at: option.value.span)
        }
    }

    /// A value as a message quotes it: a scalar by its value, anything else by its shape.
    func messageText(_ value: Value) -> String {
        if case .scalar(let number) = value { return formatter.format(number) }
        return value.shapeDescription
    }
}
