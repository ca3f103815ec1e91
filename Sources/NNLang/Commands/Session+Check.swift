import NNEngine

/// Checking and asserting: `gradcheck`, `deriv`, `table`, `expect`; worked examples; and
/// `snapshot`, `restore`, `undo`.
extension Session {
    // MARK: - gradcheck

    /// gradcheck [PARAM] [eps=X]: backpropagation against central differences.
    func gradientCheck(_ command: CommandStatement, span: SourceSpan) throws(Diagnostic) {
        let (network, data) = try requireTrainingSetup(command: "gradcheck", span: span)
        var epsilon = GradientCheck.defaultEpsilon
        if let option = command.option("eps") {
            epsilon = try number(option.value, what: "eps")
            guard epsilon > 0 else { throw Diagnostic(.settingOutOfRange(setting: "eps", range: "greater than 0", got: formatter.format(epsilon)), at: option.value.span) }
        }
        var selection = GradientCheck.Selection.all
        if let parameter = command.positional.first {
            switch try parameterReference(parameter, in: network) {
            case .weights(let layer): selection = .weights(layer: layer)
            case .biases(let layer): selection = .biases(layer: layer)
            case .weight(let layer, let row, let column): selection = .weight(layer: layer, row: row, column: column)
            case .bias(let layer, let index): selection = .bias(layer: layer, index: index)
            }
        }
        let result = GradientCheck.run(network: network, inputs: data.inputs, targets: data.targets, loss: loss, selection: selection, epsilon: epsilon)
        report(result, network: network, epsilon: epsilon, span: span)
    }

    /// Prints a gradient check's verdict; a failure counts as a failed expectation.
    func report(_ result: GradientCheck.Result, network: Network, epsilon: Double, span: SourceSpan) {
        let count = result.entries.count
        let short = ValueFormatter(precision: 3)
        write("gradcheck: \(count) \(count == 1 ? "parameter" : "parameters"), central differences with ε = \(short.format(epsilon))")
        guard let worst = result.worst else { return }
        let name = Session.parameterName(worst, in: network)
        write("largest relative error \(short.format(worst.relativeError)) at \(name): backprop \(formatter.format(worst.analytic)), numeric \(formatter.format(worst.numeric))")
        if result.allZero {
            write("note: every gradient is 0 here, so agreement proves little; try other data or weights")
        }
        let verdict = "(tolerance \(short.format(result.tolerance)))"
        if result.passed {
            write("PASS \(verdict)")
        } else {
            write("FAIL \(verdict)")
            failedExpectations += 1
            report(Diagnostic(.gradientCheckFailed(parameter: name, error: ValueFormatter(precision: 3).format(worst.relativeError)), at: span))
        }
    }

    /// `W2[1,1] (w5)`: a checked parameter by both its names.
    static func parameterName(_ entry: GradientCheck.Entry, in network: Network) -> String {
        guard let column = entry.column else { return "b\(entry.layer)[\(entry.row)]" }
        let number = network.weightNumber(of: WeightLocation(layer: entry.layer, row: entry.row, column: column)).map { " (w\($0))" } ?? ""
        return "W\(entry.layer)[\(entry.row),\(column)]\(number)"
    }

    // MARK: - deriv and table

    /// deriv F at X [h=Δ]: the derivative beside the central difference. F is an activation
    /// (its formula) or a user function (automatic differentiation).
    func derivative(_ command: CommandStatement, span: SourceSpan) throws(Diagnostic) {
        let function = command.positional[0]
        let userFunction = function.bareName.flatMap { functions[$0] }
        if userFunction == nil, let name = function.bareName, Activation(name: name) == nil {
            let suggestion = Suggestion.closest(to: name, among: Activation.names + Array(functions.keys))
            throw Diagnostic(.unknownWord(kind: "activation", name: name, suggestion: suggestion), at: function.span)
        }
        let activation = userFunction == nil ? try elementwiseActivation(function) : nil
        let x = try number(command.positional[2], what: "the point")
        var h = 0.001
        if let option = command.option("h") {
            h = try number(option.value, what: "h")
            guard h > 0 else { throw Diagnostic(.settingOutOfRange(setting: "h", range: "greater than 0", got: formatter.format(h)), at: option.value.span) }
        }
        let name = function.bareName ?? ""
        let label: String
        let analytic: Double
        let numeric: Double
        if let activation {
            label = "analytic"
            analytic = activation.derivative(x)
            numeric = (activation.value(x + h) - activation.value(x - h)) / (2 * h)
        } else {
            label = "autodiff"
            guard case .scalar = try applyFunction(named: function, to: .scalar(x), span: span) else {
                throw Diagnostic(.expectedValue(what: "a function whose value is one number", got: "'\(name)', whose value is not"), at: function.span)
            }
            analytic = try derivative(of: function, at: .scalar(x), span: span).elements.first ?? 0
            numeric = try numericDerivative(of: function, at: .scalar(x), step: h, span: span).elements.first ?? 0
        }
        let rows = [
            (label, "\(name)'(\(formatter.format(x))) = \(formatter.format(analytic))"),
            ("numeric", "(\(name)(\(formatter.format(x + h))) - \(name)(\(formatter.format(x - h)))) / (2 × \(formatter.format(h))) = \(formatter.format(numeric))"),
            ("difference", formatter.format(abs(analytic - numeric))),
        ]
        let width = rows.map(\.0.count).max() ?? 0
        for (label, text) in rows { write(label + String(repeating: " ", count: width - label.count) + "  " + text) }
    }

    /// table ACTIVATION [from=X] [to=X] [step=X]: z, φ(z) and φ'(z).
    func activationTable(_ command: CommandStatement, span: SourceSpan) throws(Diagnostic) {
        let activation = try elementwiseActivation(command.positional[0])
        let from = try command.option("from").map { option throws(Diagnostic) in try number(option.value, what: "from") } ?? -4
        let to = try command.option("to").map { option throws(Diagnostic) in try number(option.value, what: "to") } ?? 4
        let step = try command.option("step").map { option throws(Diagnostic) in try number(option.value, what: "step") } ?? 1
        guard step > 0, to >= from, (to - from) / step <= 10_000 else {
            throw Diagnostic(.settingOutOfRange(setting: "step", range: "greater than 0, with from ≤ to and at most 10000 rows", got: formatter.format(step)), at: span)
        }
        let name = activation.name
        var table = TextTable([.right, .right, .right])
        table.add(["z", "\(name)(z)", "\(name)'(z)"])
        let rows = Int(((to - from) / step + 1e-9).rounded(.down))
        for index in 0...rows {
            let z = from + Double(index) * step
            table.add([formatter.format(z), formatter.format(activation.value(z)), formatter.format(activation.derivative(z))])
        }
        let lines = table.lines
        write(palette.paint(lines[0], as: .heading))
        lines.dropFirst().forEach(write)
    }

    private func elementwiseActivation(_ expression: Expression) throws(Diagnostic) -> Activation {
        guard let name = expression.bareName, let activation = Activation(name: name) else {
            throw Diagnostic(.unknownWord(kind: "activation", name: expression.bareName ?? "", suggestion: nil), at: expression.span)
        }
        guard activation.isElementwise else {
            throw Diagnostic(.expectedValue(what: "an elementwise activation (softmax mixes its inputs: see explain grad)", got: "softmax"), at: expression.span)
        }
        return activation
    }

}
