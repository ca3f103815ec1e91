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
    public var interruptRequested: () -> Bool = { false }

    /// The network being built; nil before `input`.
    public internal(set) var network: Network?
    public internal(set) var loss: Loss = .mse
    /// Everything `data` loaded, before any split or normalization.
    public internal(set) var dataSet: DataSet?
    /// Which samples are for training and which for testing, after `split`.
    public internal(set) var split: DataSplit?
    /// Feature scaling fitted by `normalize`: part of the model, applied to every input.
    public internal(set) var normalization: Normalization?
    public internal(set) var variables: [String: Value] = [:]
    public internal(set) var precision = 10
    /// Decimal places to print instead of significant digits, after `set decimals N`.
    public internal(set) var decimals: Int?
    public internal(set) var seed: UInt64 = Session.defaultSeed
    public internal(set) var learningRate = 0.1
    /// The arithmetic `train` uses (`set dtype`); float64 unless asked, as worked examples need it.
    public internal(set) var dtype: Precision = .float64
    /// The names explanations use: auto, classic or layered (`set notation`).
    public internal(set) var notation = "auto"
    /// The optimizer `train` uses unless told otherwise (`optimizer NAME`).
    public internal(set) var optimizerSettings = OptimizerSettings(kind: .sgd)
    /// The initializer new layers get unless told otherwise (`init NAME`).
    public internal(set) var initializer: Initializer = .xavierUniform
    /// Each layer's initializer, for `reset`.
    var layerInitializers: [Initializer] = []
    /// The class names a loaded model brought, for when no data gives them.
    var loadedClassNames: [String] = []
    /// Failed `expect`s (and failed `gradcheck`s) so far: they are reported as they happen
    /// and the program goes on, but it ends with exit status 1.
    public internal(set) var failedExpectations = 0
    /// Receives a failed expectation's diagnostic as it happens, for the executable to print.
    public var report: (Diagnostic) -> Void = { _ in }
    /// Whether a person is at the prompt: then a passing `expect` says ✓.
    public var confirmsExpectations = false
    /// The user's functions (`def`).
    public internal(set) var functions: [String: FunctionDefinition] = [:]
    /// The parameters of the user functions being called, innermost last.
    var scopes: [[String: Value]] = []
    /// Named copies of the network (`snapshot NAME`).
    var snapshots: [String: Network] = [:]
    /// The networks before the last statements that changed it, newest last (`undo`).
    var undoStack: [(network: Network?, description: String)] = []
    /// The per-epoch record of the last `train`, for `history` and plots.
    public internal(set) var trainingHistory: [EpochRecord] = []
    /// How `train` shows its progress: live on a terminal, plain lines otherwise.
    public var progressStyle: ProgressStyle = .lines

    /// How many columns wide `plot` draws in the terminal: the executable passes the
    /// terminal's width (`set width` changes it).
    public var plotWidth = 80
    /// The characters terminal pictures use: ASCII when the locale is not UTF-8 (`set charset`).
    public var charset: Charset = .unicode

    /// Colours for headings; plain unless the executable knows a terminal is watching.
    public var palette: Palette = .plain
    var generator: SeededGenerator

    /// The seed used until `set seed`, so that a fresh session is reproducible.
    public static let defaultSeed: UInt64 = 42
    /// The default of `max_elements`: 10⁸ numbers (800 MB), room for an MNIST-sized data set
    /// (60,000 × 784) while a typo like `layer 1000000000` stays a diagnostic, not an
    /// out-of-memory kill.
    public static let defaultMaxElements = 100_000_000
    /// The most numbers one matrix may hold: a layer's weights, a product, a generated data set,
    /// a range (`set max_elements N`).
    public internal(set) var maxElements = Session.defaultMaxElements

    public init(output: @escaping (String) -> Void) {
        self.output = output
        generator = SeededGenerator(seed: Session.defaultSeed)
    }

    /// How the session's values print.
    var formatter: ValueFormatter { ValueFormatter(precision: precision, decimals: decimals) }

    // MARK: - Running programs

    /// Runs statements in order, stopping at the first runtime error or at `quit`.
    public func run(_ statements: [Statement]) -> ExecutionOutcome {
        for statement in statements {
            // Ctrl-C (or SIGINT from outside) stops a program between statements too.
            if interruptRequested() { return .interrupted }
            let before = network
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
        let parsed = Parser.parse(text)
        guard parsed.diagnostics.isEmpty else { return .syntaxErrors(parsed.diagnostics) }
        return run(parsed.statements)
    }

    /// Whether to go on after a statement.
    public enum Flow: Equatable, Sendable {
        case next
        case quit
    }

    /// Executes one statement.
    public func execute(_ statement: Statement) throws(Diagnostic) -> Flow {
        switch statement.kind {
        case .expression(let expression):
            let value = try evaluate(expression)
            write(formatter.format(value))
        case .assignment(let target, let expression):
            try assign(try evaluate(expression), to: target, span: statement.span)
        case .command(let command):
            return try execute(command, span: statement.span)
        case .functionDefinition(let definition):
            try define(definition)
        case .forLoop(let variable, let variableSpan, let sequence, let body):
            return try runFor(variable: variable, variableSpan: variableSpan, sequence: sequence, body: body, span: statement.span)
        case .conditional(let condition, let then, let otherwise):
            return try runIf(condition: condition, then: then, otherwise: otherwise)
        case .repeatLoop(let count, let body):
            return try runRepeat(count: count, body: body, span: statement.span)
        }
        return .next
    }

    /// Prints one line.
    func write(_ line: String) {
        output(line + "\n")
    }

    // MARK: - Assignment

    private func assign(_ value: Value, to target: AssignmentTarget, span: SourceSpan) throws(Diagnostic) {
        switch target {
        case .name(let name, let nameSpan):
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
        guard var network else { throw Diagnostic(.parameterOutsideNetwork(name), at: nameSpan) }
        let reference = try at(nameSpan) { () throws(Problem) in try ParameterReference.resolve(name: name, indices: indices, in: network) }
        guard value.isFinite else {
            throw Diagnostic(.expectedValue(what: "finite numbers for \(name)", got: "NaN or infinity"), at: nameSpan)
        }
        let label = indices.map { name + Value.indexText($0) } ?? name  // `W2[1,2]`, which is a scalar, not `W2`
        try at(nameSpan) { () throws(Problem) in try reference.assign(value, in: &network, name: label) }
        self.network = network
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

/// How running a program ended.
public enum ExecutionOutcome: Equatable, Sendable {
    case completed
    case quit
    case syntaxErrors([Diagnostic])
    case failed(Diagnostic)
    /// Stopped by Ctrl-C or SIGINT between statements.
    case interrupted
}

/// A division of a data set's samples into a training part and a test part.
public struct DataSplit: Equatable, Sendable {
    public var training: [Int]
    public var test: [Int]
}
