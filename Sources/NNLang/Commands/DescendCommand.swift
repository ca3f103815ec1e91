import NNEngine

/// descend EXPR from=[X0, Y0] [optimizer=NAME] [lr=X] [steps=N] [as=NAME] and the optimizer's
/// hyperparameters: an optimizer walking downhill on a function of one or more free names, the
/// gradient by the interpreter's automatic differentiation, the update by the engine's rules.
struct DescendCommand: Command {
    let spec = CommandSpec(
        "descend", .training, "run an optimizer on a function of one or two variables and keep its path",
        positional: [ArgumentSpec("EXPR", "an expression of one or two free names, such as x^2 + 10*y^2", .value)],
        options: [
            OptionSpec("from", "[X0, Y0]", "the starting point, one number per free name", .expression(), default: .required),
            OptionSpec("optimizer", "NAME", "sgd, momentum, nesterov, adagrad, rmsprop, adam or rprop",
                       .word(OptimizerKind.allCases.map(\.rawValue)),
                       default: .described("the session's, sgd")),
            OptionSpec("lr", "X", "learning rate", .number(.positive), default: .described("the session's, 0.1 until 'set lr'")),
            OptionSpec("steps", "N", "updates to take", .wholeNumber(0...DescendCommand.stepLimit), default: .value("100")),
            OptionSpec("as", "NAME", "keep the path in this variable instead of 'path'", .expression(), default: .described("path")),
        ] + OptimizerOptions.specs(weightDecay: "L2 penalty λ: gradients gain λθ", l1: "L1 penalty λ₁: gradients gain λ₁ sign(θ)",
                                   optimizer: TrainingOptions.optimizerKind)
            .filter { !DescendCommand.lineSearchOptions.contains($0.name) },
        details: [
            "The variables are EXPR's free names (those that are not variables, parameters or functions), in",
            "alphabetical order: from=[x0, y0] starts x at x0 and y at y0; one free name takes a number.",
            "Each step takes the gradient of EXPR by automatic differentiation (as grad does) and updates the",
            "point by the optimizer's rule, exactly as train updates a weight: the same optimizers, defaults and options",
            "(lbfgs, which searches along a line of the whole function, is train's only).",
            "Prints where it started and ended, with EXPR's value there. The path, one row per point with the",
            "start first (steps + 1 rows), is the value 'path', or the variable as= names; plot EXPR path=path draws it.",
            "It stops early, keeping the path so far, where the next point or the gradient would not be finite.",
        ],
        examples: [
            "descend x^2 + 10*y^2 from=[-4, 2] optimizer=momentum lr=0.02 steps=50",
            "descend (1 - x)^2 + 100*(y - x^2)^2 from=[-1.5, 2] optimizer=adam lr=0.05 steps=500 as=adam_path",
            "plot x^2 + 10*y^2 path=path",
        ])

    /// The optimizers that step by a rule, which descend runs: every one but lbfgs.
    static let optimizers = OptimizerKind.allCases.filter { $0 != .lbfgs }
    /// lbfgs's options, which descend does not take.
    static let lineSearchOptions: Set<String> = ["history_size", "max_iter", "tolerance_grad", "tolerance_change", "line_search"]

    /// The most steps a descent takes.
    static let stepLimit = 10_000_000

    func run(_ invocation: Invocation) throws(Diagnostic) {
        let session = invocation.session
        let expression = invocation.statement.positional[0]
        let names = Self.variables(of: expression, session: session)
        guard !names.isEmpty else {
            throw Diagnostic(.expectedValue(what: "an expression of one or more free names to descend, such as x^2 + 10*y^2",
                                            got: "no name without a value"), at: expression.span)
        }
        var point = try Self.start(invocation, dimension: names.count, names: names)
        let settings = try TrainingOptions.optimizer(invocation)
        guard Self.optimizers.contains(settings.kind) else {
            let given = invocation.option("optimizer")
            throw Diagnostic(.expectedValue(what: "an optimizer that steps by a rule for descend (sgd, momentum, nesterov, adagrad, rmsprop, adam or rprop; lbfgs is train's only)",
                                            got: given == nil ? "the session's lbfgs" : "lbfgs"), at: given?.value.span ?? invocation.span)
        }
        let rate = try invocation.givenLearningRate() ?? invocation.settings.learningRate
        let steps = try invocation.wholeNumber("steps")
        let target = try Self.target(invocation)
        if let (name, span) = target, names.contains(name) {
            throw Diagnostic(.expectedValue(what: "a name for as= other than the expression's variables", got: "'\(name)'"), at: span)
        }

        let saved = names.map { session.variables[$0] }
        defer { for (name, value) in zip(names, saved) { session.variables[name] = value } }
        var optimizer = PointOptimizer(settings: settings, dimension: names.count)
        var rows = [point]
        var start = try Self.valueAndGradient(expression, names: names, at: point, session: session)
        let startValue = start.value
        var stopped: String?
        for step in 0..<steps {
            if session.interruptRequested() { stopped = "interrupted after \(Self.steps(step))"; break }
            guard start.value.isFinite, start.gradient.allSatisfy(\.isFinite) else {
                stopped = "stopped after \(Self.steps(step)): the gradient there is not finite"
                break
            }
            guard optimizer.step(&point, gradient: start.gradient, learningRate: rate) else {
                stopped = "stopped after \(Self.steps(step)): the next point would not be finite"
                break
            }
            rows.append(point)
            do throws(Diagnostic) {
                start = try Self.valueAndGradient(expression, names: names, at: point, session: session)
            } catch {
                // Where EXPR has no value (log of a negative number) the walk ends, its path kept.
                start = (.nan, [])
                stopped = "stopped after \(Self.steps(step + 1)): \(error.problem.message)"
                break
            }
        }

        let formatter = invocation.formatter
        let rateText = formatter.format(rate)
        invocation.write("descend \(ExpressionText.text(expression)) with \(OptimizerOptions.text(of: settings, formatter: formatter)), lr = \(rateText)")
        var table = TextTable([.left] + Array(repeating: .right, count: names.count + 1))
        table.add([""] + names + ["value"])
        table.add(["start"] + rows[0].map(formatter.format) + [formatter.format(startValue)])
        table.add(["end after \(Self.steps(rows.count - 1))"] + point.map(formatter.format) + [formatter.format(start.value)])
        invocation.write(table)
        if let stopped { invocation.write(stopped) }
        let path = Matrix(rows)
        let points = rows.count == 1 ? "1 point" : "\(rows.count) points"
        if let (name, _) = target {
            session.variables[name] = .matrix(path)
            invocation.write("the path, \(points), is in \(name)")
        } else {
            invocation.workspace.descentPath = path
            invocation.write("the path, \(points), is in path")
        }
    }

    /// "1 step", "2 steps".
    private static func steps(_ count: Int) -> String {
        count == 1 ? "1 step" : "\(count) steps"
    }

    /// EXPR's free names, in alphabetical order: the names that are not variables, parameters,
    /// `loss`, functions, constants or session values.
    static func variables(of expression: Expression, session: Session) -> [String] {
        ExpressionText.names(in: expression).filter { name in
            ParameterReference.split(name) == nil && name != "loss" && session.variables[name] == nil && Builtins.function(named: name) == nil
                && Builtins.constants[name] == nil && !Session.isSessionValue(name) && session.functions[name] == nil
        }.sorted()
    }

    /// from=: a number for one variable, a list of one number per variable for more.
    private static func start(_ invocation: Invocation, dimension: Int, names: [String]) throws(Diagnostic) -> [Double] {
        guard let option = invocation.option("from") else {
            throw Diagnostic(.missingArgument(command: "descend", what: "from=[…], the starting point"), at: invocation.span)
        }
        let value = try invocation.evaluate(option.value)
        let numbers: [Double]? = switch value {
        case .scalar(let number): [number]
        case .vector(let elements): elements
        case .matrix(let matrix) where matrix.rows == 1 || matrix.columns == 1: matrix.storage
        default: nil
        }
        guard let numbers, numbers.count == dimension, numbers.allSatisfy(\.isFinite) else {
            let what = dimension == 1 ? "a number for \(names[0])" : "\(dimension) finite numbers, for \(names.joined(separator: ", ")),"
            throw Diagnostic(.expectedValue(what: what + " in from=", got: invocation.session.messageText(value)), at: option.value.span)
        }
        return numbers
    }

    /// as=NAME: a variable's name that is not a parameter, a session value or a free name.
    private static func target(_ invocation: Invocation) throws(Diagnostic) -> (String, SourceSpan)? {
        guard let option = invocation.option("as") else { return nil }
        guard let name = option.value.bareName else {
            throw Diagnostic(.expectedValue(what: "a variable's name for as=", got: "an expression"), at: option.value.span)
        }
        if Session.isSessionValue(name) { throw Diagnostic(.assignmentToSessionValue(name), at: option.value.span) }
        guard ParameterReference.split(name) == nil, name != "loss", Builtins.constants[name] == nil, Builtins.function(named: name) == nil else {
            throw Diagnostic(.expectedValue(what: "a variable's name for as=", got: "'\(name)', which names something else"), at: option.value.span)
        }
        return (name, option.value.span)
    }

    /// EXPR's value and gradient at `point`, each coordinate's derivative recorded with the
    /// others held at their values.
    static func valueAndGradient(_ expression: Expression, names: [String], at point: [Double],
                                 session: Session) throws(Diagnostic) -> (value: Double, gradient: [Double]) {
        for (name, coordinate) in zip(names, point) { session.variables[name] = .scalar(coordinate) }
        var value = Double.nan
        var gradient: [Double] = []
        for name in names {
            let graph = try session.recordGraph(of: expression, withRespectTo: Expression(.name(name), span: expression.span))
            guard case .scalar(let number) = graph.tape.nodes[graph.output].value else {
                throw Diagnostic(.gradientOfNonScalar(got: graph.tape.nodes[graph.output].value.shapeDescription), at: expression.span)
            }
            value = number
            let derivative = try session.gradient(of: graph, expression: expression)
            gradient.append(derivative.elements.first ?? 0)
        }
        return (value, gradient)
    }
}
