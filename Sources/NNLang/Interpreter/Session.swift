import NNEngine

/// The interpreter: a session's state (network, loss, data, variables, settings) and the
/// execution of statements against it.
///
/// A session writes what statements print to the `output` it is given and never to a terminal
/// or file itself; runtime errors come back as diagnostics. It is a class because a session is
/// one shared, mutable thing that a script and then a prompt keep working on.
public final class Session {
    /// Receives everything statements print, a line at a time, each ending in "\n".
    public var output: (String) -> Void
    /// Asked between steps of long statements (each batch of `train`): true stops the statement
    /// cleanly, as Ctrl-C at the prompt does. The session itself knows nothing of signals.
    @exclusivity(unchecked) public var interruptRequested: () -> Bool = { false }

    /// What the session has built and learned: network, loss, data, history. One value, so
    /// `undo` restores all of it and `startOver` resets all of it.
    public internal(set) var workspace = Workspace()
    /// How the session works: everything `set`, `optimizer` and `init` choose.
    public var settings = Settings()
    // The interpreter's state that the evaluator reads and writes at every step (this and
    // `interruptRequested` above) is `@exclusivity(unchecked)`: no access to it overlaps another
    // (a value is computed first, then stored), and Swift's run-time check of that took half the
    // time of a scalar loop.

    /// The user's variables.
    @exclusivity(unchecked) public internal(set) var variables = Variables()
    /// The user's functions (`def`).
    public internal(set) var functions: [String: FunctionDefinition] = [:]
    /// The user's functions resolved, by the slot `functionSlots` gives each name a call mentions.
    @exclusivity(unchecked) var functionTable: [ResolvedFunction?] = []
    var functionSlots: [String: Int] = [:]
    /// The parameters of the user functions being called by the general path, innermost last.
    @exclusivity(unchecked) var scopes: [[String: Value]] = []
    /// The arguments of the resolved user functions being called, innermost last; the one
    /// being called now starts at `frameBase`.
    @exclusivity(unchecked) var locals: [Value] = []
    @exclusivity(unchecked) var frameBase = 0
    /// How many resolved calls are under way.
    @exclusivity(unchecked) var callDepth = 0
    /// User-function calls since the outermost one began, for "interrupted after N function calls".
    @exclusivity(unchecked) var functionCalls = 0
    /// Named copies of the network (`snapshot NAME`); they outlive `clear`, as variables do.
    var snapshots: [String: Network] = [:]
    /// The workspaces before the last statements that changed it, newest last (`undo`).
    var undoStack: [(workspace: Workspace, description: String)] = []
    /// Draws every random number: initial weights, generated data, splits, shuffles, dropout.
    var generator: SeededGenerator

    /// Failed `expect`s (and failed `gradcheck`s) so far: they are reported as they happen
    /// and the program goes on, but it ends with exit status 1.
    public internal(set) var failedExpectations = 0
    /// Receives a failed expectation's diagnostic as it happens, for the executable to print.
    public var report: (Diagnostic) -> Void = { _ in }
    /// Whether a person is at the prompt: then a passing `expect` says ✓.
    public var confirmsExpectations = false
    /// How `train` shows its progress: live on a terminal, plain lines otherwise.
    public var progressStyle: ProgressStyle = .lines
    /// Where `train` sends its progress when the front end redraws a line in place itself (a
    /// notebook); nil writes it to `output` in `progressStyle`.
    public var emitProgress: ((ProgressUpdate) -> Void)?
    /// Where `plot` and `draw` without `to` send their picture, as a standalone SVG document,
    /// when the front end shows images (a notebook); nil draws it in text to `output`.
    public var emitPicture: ((String) -> Void)?
    /// Where `train … watch=` sends its frames when the front end can replace a picture it showed
    /// (a notebook's display): nil draws them in place at a live terminal, or once at the end.
    public var emitPictureUpdate: ((PictureUpdate) -> Void)?
    /// Colours for headings; plain unless the executable knows a terminal is watching.
    public var palette: Palette = .plain
    /// Shown each command's invocation after it ran: the registry test reads which options it read.
    var observeCommand: ((Invocation) -> Void)?

    public init(output: @escaping (String) -> Void) {
        self.output = output
        generator = SeededGenerator(seed: Settings.defaultSeed)
    }

    /// How the session's values print.
    var formatter: ValueFormatter { settings.formatter }

    // MARK: - Running programs

    /// Runs statements in order, stopping at the first runtime error or at `quit`.
    public func run(_ statements: [Statement]) -> ExecutionOutcome {
        for statement in statements {
            // Ctrl-C (or SIGINT from outside) stops a program between statements too.
            if interruptRequested() { return .interrupted }
            let before = workspace
            do {
                let flow = try execute(statement)
                rememberForUndo(before, statement: statement)
                if flow == .quit { return .quit }
            } catch {
                rememberForUndo(before, statement: statement)
                return .failed(error)
            }
        }
        return .completed
    }

    /// Parses and runs a whole text: nothing runs if it has a syntax error.
    public func run(source text: String) -> ExecutionOutcome {
        let parsed = Parser.parse(text, shouldStop: interruptRequested)
        if parsed.wasStopped { return .interrupted }  // Ctrl-C while a huge text was read: nothing ran
        guard parsed.diagnostics.isEmpty else { return .syntaxErrors(parsed.diagnostics) }
        return run(parsed.statements)
    }

    /// Whether to go on after a statement.
    public enum Flow: Equatable, Sendable {
        case next
        case quit
    }

    /// Executes one statement: resolved first (`Resolver`), then run.
    public func execute(_ statement: Statement) throws(Diagnostic) -> Flow {
        let (code, root) = Resolver.resolve(statement, in: self)
        return try execute(root, in: code)
    }

    /// Executes a statement the resolver leaves as written: commands, `def`, assignments to
    /// parameters and elements.
    func executeGeneral(_ statement: Statement) throws(Diagnostic) -> Flow {
        switch statement.kind {
        case .assignment(let target, let expression):
            try assign(try evaluate(expression), to: target, span: statement.span)
        case .command(let command):
            return try run(command, span: statement.span)
        case .functionDefinition(let definition):
            try define(definition)
        case .expression, .forLoop, .conditional, .repeatLoop:
            return try execute(statement)  // the resolver takes these itself
        }
        return .next
    }

    /// Runs a command through the command table: its options' conditions, then its `run`.
    private func run(_ command: CommandStatement, span: SourceSpan) throws(Diagnostic) -> Flow {
        guard let runnable = CommandTable.runnable(named: command.name) else {
            // The parser accepts only names from the command table.
            throw Diagnostic(.unknownCommand(command.name, suggestion: nil), at: command.nameSpan)
        }
        let invocation = Invocation(session: self, statement: command, spec: runnable.spec, span: span)
        try invocation.checkApplicability()
        defer { observeCommand?(invocation) }
        try runnable.run(invocation)
        return invocation.flow
    }

    /// How `value` prints; formatting a huge one stops on Ctrl-C, before anything is printed.
    /// Printed whole (`set print_limit 0`), each number takes about 32 bytes of text on the way.
    func printable(_ value: Value, span: SourceSpan) throws(Diagnostic) -> String {
        let count = value.elements.count
        if formatter.summaryThreshold.map({ count <= $0 }) ?? true {
            let bytes = count.multipliedReportingOverflow(by: 32)
            try settings.checkMemory(bytes.overflow ? Int.max : bytes.partialValue, for: "printing \(count) numbers", at: span)
        }
        guard let text = formatter.format(value, poll: StopPoll(interruptRequested)) else {
            throw Diagnostic(.interruptedWhile("formatting \(value.elements.count) numbers: nothing was printed"), at: span)
        }
        return text
    }

    /// Prints one line.
    func write(_ line: String) {
        output(line + "\n")
    }

    // MARK: - Assignment

    private func assign(_ value: Value, to target: AssignmentTarget, span: SourceSpan) throws(Diagnostic) {
        switch target {
        case .name(let name, let nameSpan):
            if Session.isSessionValue(name) { throw Diagnostic(.assignmentToSessionValue(name), at: nameSpan) }
            if ParameterReference.split(name) != nil {
                try assignParameter(name: name, nameSpan: nameSpan, indices: nil, value: value)
            } else {
                if case .text = value {
                    // Strings are for printing; keeping them out of variables keeps arithmetic total.
                    throw Diagnostic(.expectedValue(what: "a number, vector or matrix", got: "a string"), at: span)
                }
                variables[name] = value
            }
        case .element(let name, let nameSpan, let indexExpressions):
            let indices = try indexValues(indexExpressions)
            if ParameterReference.split(name) != nil {
                try assignParameter(name: name, nameSpan: nameSpan, indices: indices, value: value)
                return
            }
            guard let current = variables[name] else {
                throw Diagnostic(.unknownName(name, suggestion: Suggestion.closest(to: name, among: Array(variables.keys))), at: nameSpan)
            }
            guard case .scalar(let number) = value else {
                throw Diagnostic(.expectedValue(what: "a number for one element", got: value.shapeDescription), at: span)
            }
            variables[name] = try at(span) { () throws(Problem) in try current.replacingElement(at: indices, with: number, name: name) }
        }
    }

    private func assignParameter(name: String, nameSpan: SourceSpan, indices: [Int]?, value: Value) throws(Diagnostic) {
        guard var network = workspace.network else { throw Diagnostic(.parameterOutsideNetwork(name), at: nameSpan) }
        let reference = try at(nameSpan) { () throws(Problem) in try ParameterReference.resolve(name: name, indices: indices, in: network, convention: settings.convention) }
        guard value.isFinite else {
            throw Diagnostic(.expectedValue(what: "finite numbers for \(name)", got: "NaN or infinity"), at: nameSpan)
        }
        let label = indices.map { name + Value.indexText($0) } ?? name  // `W2[1,2]`, which is a scalar, not `W2`
        try at(nameSpan) { () throws(Problem) in try reference.assign(value, in: &network, name: label, convention: settings.convention) }
        workspace.network = network
    }

    /// Evaluates 1-based index expressions to whole numbers.
    func indexValues(_ expressions: [Expression]) throws(Diagnostic) -> [Int] {
        var indices: [Int] = []
        for expression in expressions {
            indices.append(try wholeNumber(expression, what: "an index", minimum: 1))
        }
        return indices
    }

    // MARK: - Errors

    /// Runs `body`, giving any problem it throws the span of the source it is about.
    func at<T>(_ span: SourceSpan, _ body: () throws(Problem) -> T) throws(Diagnostic) -> T {
        do {
            return try body()
        } catch {
            throw Diagnostic(error, at: span)
        }
    }
}

extension Session {
    /// The seconds since `start` on the continuous clock.
    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = start.duration(to: .now).components
        return Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18
    }

    /// Wall times to 3 significant digits: enough to compare, short enough to read.
    static func formatSeconds(_ seconds: Double) -> String {
        ValueFormatter(precision: 3).format(seconds)
    }
}

/// How running a program ended.
public enum ExecutionOutcome: Equatable, Sendable {
    case completed
    case quit
    case syntaxErrors([Diagnostic])
    case failed(Diagnostic)
    /// Stopped by Ctrl-C or SIGINT between statements.
    case interrupted
}
