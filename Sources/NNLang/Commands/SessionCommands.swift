import NNEngine

// The session's commands: expect, example, snapshot, restore, undo, set, time, help, quit, exit.

/// expect EXPR OP VALUE [tol=X]: silent when it holds (✓ at the prompt); otherwise a
/// diagnostic with both values, the program goes on, and it ends with exit status 1.
struct ExpectCommand: Command {
    let spec = CommandSpec(
        "expect", .session, "check a value, as a lab sheet does",
        positional: [ArgumentSpec("CLAIM", "a comparison like loss < 0.1", .value)],
        options: [
            OptionSpec("tol", "X", "how far apart == may be (and != must be)", .number(.nonNegative), default: .value("1e-6"),
                       appliesWhen: Applicability("== and !=") { invocation in
                           guard case .binary(let operation, _, _) = invocation.statement.positional[0].kind else { return true }
                           return operation == .equal || operation == .notEqual
                       }),
        ],
        details: [
            "CLAIM is a comparison: ==, !=, <, <=, > or >=, elementwise for vectors and matrices.",
            "Silent when it holds (✓ at the prompt). When it does not, the expected and actual values are",
            "reported with the place, the program goes on, and nn ends with exit status 1.",
        ],
        examples: ["expect loss == 0.298371109 tol=1e-9", "expect grad(w5) > 0", "expect predict([0, 1]) > 0.9"])

    func run(_ invocation: Invocation) throws(Diagnostic) {
        let session = invocation.session
        let formatter = invocation.formatter
        let claim = invocation.statement.positional[0]
        guard case .binary(let operation, let leftExpression, let rightExpression) = claim.kind, operation.isComparison else {
            throw Diagnostic(.expectedValue(what: "a comparison like loss < 0.1 or w5 == 0.35891648", got: "an expression"), at: claim.span)
        }
        let tolerance = try invocation.number("tol")
        let actual = try invocation.evaluate(leftExpression)
        let expected = try invocation.evaluate(rightExpression)
        let holds = try session.at(claim.span) { () throws(Problem) in try Self.compare(actual, operation, expected, tolerance: tolerance) }
        if holds {
            if session.confirmsExpectations { invocation.write("✓") }
            return
        }
        session.failedExpectations += 1
        let tolerancePart = (operation == .equal || operation == .notEqual) ? " (tolerance \(formatter.format(tolerance)))" : ""
        session.report(Diagnostic(.expectationFailed(
            claim: "\(operation.rawValue) \(formatter.format(expected))\(tolerancePart)",
            actual: formatter.format(actual)), at: claim.span))
    }

    /// Whether `actual op expected` holds for every element; == and != within `tolerance`.
    static func compare(_ actual: Value, _ operation: BinaryOperator, _ expected: Value, tolerance: Double) throws(Problem) -> Bool {
        // The comparison itself first, so a shape mismatch says "compare", not "subtract".
        let elementwise = try Value.apply(operation, actual, expected)
        switch operation {
        case .equal: return try Value.apply(.subtract, actual, expected).elements.allSatisfy { abs($0) <= tolerance }
        case .notEqual: return try Value.apply(.subtract, actual, expected).elements.contains { abs($0) > tolerance }
        default: return elementwise.elements.allSatisfy { $0 == 1 }
        }
    }
}

/// example NAME: a classic worked example, set up and ready to explain.
struct ExampleCommand: Command {
    let spec = CommandSpec(
        "example", .session, "set up a classic worked example: mazur or xor",
        positional: [ArgumentSpec("NAME", "an example", .word(.example))],
        details: [
            "mazur: the network, weights and data of Matt Mazur's \"A Step by Step Backpropagation Example\".",
            "xor: a 2-2-1 sigmoid network whose hand-picked weights compute XOR. Replaces the network and data.",
        ],
        examples: ["example mazur", "example xor"])

    func run(_ invocation: Invocation) throws(Diagnostic) {
        guard let name = invocation.word(0), let example = WorkedExamples.named(name) else {
            throw Diagnostic(.unknownWord(kind: "example", name: invocation.word(0) ?? "", suggestion: nil), at: invocation.span)
        }
        invocation.workspace.startOver()
        for statement in Parser.parse(example.source).statements { _ = try invocation.session.execute(statement) }
        invocation.write("example \(name): \(example.summary)")
    }
}

/// snapshot NAME
struct SnapshotCommand: Command {
    let spec = CommandSpec(
        "snapshot", .session, "keep a copy of the network's parameters under a name",
        positional: [ArgumentSpec("NAME", "a name", .name)],
        examples: ["snapshot before"])

    func run(_ invocation: Invocation) throws(Diagnostic) {
        guard let network = invocation.workspace.network else { throw Diagnostic(.noNetwork(command: "snapshot"), at: invocation.span) }
        let name = invocation.word(0) ?? ""
        invocation.session.snapshots[name] = network
        invocation.write("snapshot \(name): \(network.parameterCount) parameters")
    }
}

/// restore NAME
struct RestoreCommand: Command {
    let spec = CommandSpec(
        "restore", .session, "bring back a snapshot",
        positional: [ArgumentSpec("NAME", "a snapshot's name", .name, completions: .snapshots)],
        examples: ["restore before"])

    func run(_ invocation: Invocation) throws(Diagnostic) {
        let snapshots = invocation.session.snapshots
        let name = invocation.word(0) ?? ""
        guard let saved = snapshots[name] else {
            throw Diagnostic(.unknownName(name, suggestion: Suggestion.closest(to: name, among: Array(snapshots.keys))), at: invocation.statement.positional[0].span)
        }
        invocation.workspace.network = saved
        invocation.write("restored \(name)")
    }
}

/// undo: the workspace as it was before the last statement that changed it.
struct UndoCommand: Command {
    let spec = CommandSpec(
        "undo", .session, "revert the last statement that changed the network or the data",
        details: ["Remembers the last 20 changes: layers, assignments, steps, training, data, loads, clear."])

    func run(_ invocation: Invocation) throws(Diagnostic) {
        guard let last = invocation.session.undoStack.popLast() else { throw Diagnostic(.nothingToUndo, at: invocation.span) }
        invocation.workspace = last.workspace
        invocation.write("undone: \(last.description)")
    }
}

/// set NAME VALUE
struct SetCommand: Command {
    let spec = CommandSpec(
        "set", .session, "change a setting: precision, decimals, seed, lr, notation, convention, dtype, threads, max_elements, memory_limit, charset, width, print_limit",
        positional: [ArgumentSpec("NAME", "a setting", .word(.setting)), ArgumentSpec("VALUE", "a value", .value)],
        details: [
            "precision N: significant digits printed, 1 to 17 (10). decimals N: N decimal places instead, trailing",
            "zeros dropped, as worked examples print (set decimals 9 gives 0.082167041); set precision to go back.",
            "seed N: the random seed (42). lr X: the default learning rate (0.1).",
            "max_elements N: the most numbers one matrix, product, layer or generated data set may hold (10⁸).",
            "memory_limit BYTES: the most memory one large allocation may take: a network, a product, a generated",
            "data set, class targets, a jacobian, training's buffers; undo keeps a quarter (half the machine's memory).",
            "threads N: threads for matrix products (OPENBLAS_NUM_THREADS, else the cores). dtype float32|float64:",
            "the arithmetic 'train' uses (float64; float32 is faster, to about 7 digits).",
            "notation: the names explain uses: auto (the default), classic or layered.",
            "charset: unicode or ascii, the characters plot and draw use. width N: the columns plot fills and",
            "summarized values wrap to (the terminal's). print_limit N: a vector or matrix of more than N numbers",
            "prints summarized, its first and last 3 rows and columns with … between, as NumPy does (1000);",
            "set print_limit 0 prints every number.",
            "convention columns|rows: how weight matrices are written. columns (the default): z = W x + b, W is",
            "units × inputs and W[i,j] goes from input j to unit i. rows: Z = A W + b with samples in rows, W is",
            "inputs × units and W[i,j] goes from input i to unit j. The network stays the same; see 'help parameters'.",
        ],
        examples: ["set precision 4", "set decimals 9", "set seed 7", "set lr 0.5", "set notation layered", "set convention rows",
                   "set print_limit 0"])

    func run(_ invocation: Invocation) throws(Diagnostic) {
        let session = invocation.session
        let name = invocation.statement.positional[0]
        let value = invocation.statement.positional[1]
        guard let setting = Setting(rawValue: name.bareName ?? "") else {
            throw Diagnostic(.unknownWord(kind: "setting", name: name.bareName ?? "", suggestion: nil), at: name.span)
        }
        switch setting {
        case .precision:
            invocation.settings.precision = try session.wholeNumber(value, what: "precision", minimum: 1, maximum: 17)
            invocation.settings.decimals = nil
        case .threads:
            BLAS.setThreads(try session.wholeNumber(value, what: "threads", minimum: 1, maximum: 1024))
        case .dtype:
            guard let word = value.bareName, let chosen = Precision(rawValue: word) else {
                throw Diagnostic(.expectedValue(what: "float32 or float64 for dtype", got: value.bareName.map { "'\($0)'" } ?? "an expression"), at: value.span)
            }
            invocation.settings.dtype = chosen
        case .maxElements:
            invocation.settings.maxElements = try session.wholeNumber(value, what: "max_elements", minimum: 1, maximum: Settings.maxElementsCeiling)
        case .memoryLimit:
            invocation.settings.memoryLimit = try session.wholeNumber(value, what: "memory_limit", minimum: MemoryBudget.smallestLimit,
                                                                      maximum: 1 << 53)
        case .decimals:
            invocation.settings.decimals = try session.wholeNumber(value, what: "decimals", minimum: 0, maximum: 17)
        case .seed:
            // Seeds are whole numbers a Double holds exactly, so every seed can be typed back in.
            let seed = UInt64(try session.wholeNumber(value, what: "the seed", minimum: 0, maximum: 1 << 53))
            invocation.settings.seed = seed
            session.generator = SeededGenerator(seed: seed)
        case .notation:
            guard let word = value.bareName, let choice = Notation.Choice(rawValue: word) else {
                throw Diagnostic(.expectedValue(what: "auto, classic or layered for notation", got: value.bareName.map { "'\($0)'" } ?? "an expression"), at: value.span)
            }
            invocation.settings.notation = choice
        case .lr:
            let rate = try session.number(value, what: "lr")
            guard rate > 0 else { throw Diagnostic(.learningRateNotPositive(invocation.formatter.format(rate)), at: value.span) }
            invocation.settings.learningRate = rate
        case .charset:
            guard let word = value.bareName, let chosen = Charset(rawValue: word) else {
                throw Diagnostic(.expectedValue(what: "unicode or ascii for charset", got: value.bareName.map { "'\($0)'" } ?? "an expression"), at: value.span)
            }
            invocation.settings.charset = chosen
        case .convention:
            guard let word = value.bareName, let chosen = WeightConvention(rawValue: word) else {
                throw Diagnostic(.expectedValue(what: "rows or columns for convention", got: value.bareName.map { "'\($0)'" } ?? "an expression"), at: value.span)
            }
            invocation.settings.convention = chosen
        case .width:
            let range = Settings.plotWidthRange
            invocation.settings.plotWidth = try session.wholeNumber(value, what: "width", minimum: range.lowerBound, maximum: range.upperBound)
        case .printLimit:
            invocation.settings.printLimit = try session.wholeNumber(value, what: "print_limit", minimum: 0, maximum: Int.max / 2)
        }
    }
}

/// time STATEMENT
struct TimeCommand: Command {
    let spec = CommandSpec(
        "time", .session, "run a statement, then print its wall time",
        takesStatement: true,
        examples: ["time train epochs=1000"])

    func run(_ invocation: Invocation) throws(Diagnostic) {
        guard let body = invocation.statement.body else { return }
        let start = ContinuousClock.now
        invocation.flow = try invocation.session.execute(body)
        invocation.write("time: \(Session.formatSeconds(Session.seconds(since: start))) s")
    }
}

/// help [TOPIC]
struct HelpCommand: Command {
    let spec = CommandSpec(
        "help", .session, "list the commands, or explain one",
        positional: [ArgumentSpec("TOPIC", "a topic", .word(.helpTopic), optional: true)],
        examples: ["help", "help layer", "help sigmoid"])

    func run(_ invocation: Invocation) throws(Diagnostic) {
        invocation.write(Help.text(for: invocation.word(0), palette: invocation.session.palette))
    }
}

/// quit and exit
struct QuitCommand: Command {
    let name: String

    var spec: CommandSpec { CommandSpec(name, .session, "end the session") }

    func run(_ invocation: Invocation) throws(Diagnostic) {
        invocation.flow = .quit
    }
}
