import NNEngine

/// What kind of thing a positional argument of a command is.
public enum ArgumentKind: Equatable, Sendable {
    /// Any expression, evaluated when the command runs.
    case value
    /// Several comma-separated expressions (`print a, b`).
    case values
    /// A bare word from a fixed list (`sigmoid`, `sse`, `precision`), checked by the parser.
    case word(WordList)
    /// A parameter name: `w5`, `W2`, `b1`, `W2[1,2]`.
    case parameter
    /// A bare word from a list, or a file name in quotes (`data iris`, `data "my.csv"`).
    case source(WordList)
    /// Any bare name the user chooses (`snapshot before`).
    case name
}

/// The lists that word arguments are checked against.
public enum WordList: String, Equatable, Sendable {
    case activation
    case loss
    case setting
    case helpTopic = "help topic"
    case normalization
    case showTopic = "show topic"
    case optimizer
    case initializer
    case dataSet = "data set"
    case explainTopic = "explain topic"
    case at = "word"
    case to = "destination word"
    case example

    /// The valid words.
    public var words: [String] {
        switch self {
        case .activation: return Activation.names
        case .loss: return Loss.names
        case .setting: return Setting.allCases.map(\.rawValue)
        case .helpTopic: return HelpTopics.all
        case .normalization: return Normalization.Method.allCases.map(\.rawValue) + ["none"]
        case .showTopic: return ["data"]
        case .optimizer: return OptimizerKind.allCases.map(\.rawValue)
        case .initializer: return Initializer.names
        case .dataSet: return DataGenerator.names + BundledData.names
        case .explainTopic: return ["grad", "forward", "loss", "step"]
        case .at: return ["at"]
        case .to: return ["to"]
        case .example: return WorkedExamples.names
        }
    }
}

/// One positional argument of a command.
public struct ArgumentSpec: Sendable {
    public var placeholder: String
    /// How a "missing argument" message names it: "the number of units".
    public var description: String
    public var kind: ArgumentKind
    public var isOptional: Bool
    /// What Tab offers for a `.name` argument, from the session's state.
    public var completions: NameCompletions?
    /// Words of a `.word` argument that may also be written as a call (`explain grad(EXPR, VAR)`).
    public var calls: [String]

    public init(_ placeholder: String, _ description: String, _ kind: ArgumentKind, optional: Bool = false,
                completions: NameCompletions? = nil, calls: [String] = []) {
        self.placeholder = placeholder
        self.description = description
        self.kind = kind
        self.isOptional = optional
        self.completions = completions
        self.calls = calls
    }
}

/// The session's names that Tab offers for a `.name` argument.
public enum NameCompletions: Sendable {
    /// `restore NAME`: the snapshots taken.
    case snapshots
    /// `deriv F`: the activations and the user's functions.
    case activationsAndFunctions
    /// `history NAME`: the runs kept by `train … run=NAME`, and `last`.
    case runs
}

/// What an option's value must be. Reading an option through its spec (`Invocation.wholeNumber`)
/// checks the value against this, so a range is written once.
public enum OptionType: Equatable, Sendable {
    /// A whole number in the range.
    case wholeNumber(ClosedRange<Int>)
    /// A finite number within bounds.
    case number(NumberBounds)
    /// `true` or `false` (or 1 or 0).
    case boolean
    /// One of the words.
    case word([String])
    /// A whole number in the range, or one of the words (`batch=all`).
    case wholeNumberOrWord(ClosedRange<Int>, [String])
    /// Any expression, which the command reads itself: a matrix, a file name, an initializer;
    /// Tab offers `completions`.
    case expression(completions: [String] = [])
}

/// The bounds of a number option, each with the words a message gives it.
public enum NumberBounds: Equatable, Sendable {
    case any
    /// Greater than 0.
    case positive
    /// 0 or more.
    case nonNegative
    /// From 0 up to (not including) 1.
    case fraction
    /// Between 0 and 1, both excluded.
    case openUnit

    func contains(_ value: Double) -> Bool {
        switch self {
        case .any: true
        case .positive: value > 0
        case .nonNegative: value >= 0
        case .fraction: value >= 0 && value < 1
        case .openUnit: value > 0 && value < 1
        }
    }

    /// How an out-of-range message states the bounds.
    var text: String {
        switch self {
        case .any: "any number"
        case .positive: "greater than 0"
        case .nonNegative: "0 or more"
        case .fraction: "from 0 up to (not including) 1"
        case .openUnit: "between 0 and 1"
        }
    }
}

/// What applies when an option is not given.
public enum OptionDefault: Equatable, Sendable {
    /// A value, written as it would be typed: help shows it and the option's reader parses it,
    /// so the two cannot differ.
    case value(String)
    /// Decided by the command from the session ("the session's, 0.1 until 'set lr'"); the
    /// reader of such an option returns nil when it is not given.
    case described(String)
    /// The option must be given.
    case required

    /// The words help shows after "default:", or nil when the option must be given.
    var text: String? {
        switch self {
        case .value(let text), .described(let text): text
        case .required: nil
        }
    }
}

/// When an option applies: an option given where it does not apply is an error before the
/// command runs (`alpha=` on a sigmoid layer, `momentum=` with adam), with the words of
/// `description` ("leaky_relu and elu").
public struct Applicability: Sendable {
    public var description: String
    /// Whether the option applies to this invocation; it may throw a diagnostic of its own
    /// when "does not apply" would not say what is wrong.
    let holds: @Sendable (Invocation) throws(Diagnostic) -> Bool

    init(_ description: String, _ holds: @escaping @Sendable (Invocation) throws(Diagnostic) -> Bool) {
        self.description = description
        self.holds = holds
    }
}

/// One `key=value` option of a command.
public struct OptionSpec: Sendable {
    public var name: String
    /// What the value is, for help: `N`, `X`, `MATRIX`.
    public var placeholder: String
    public var summary: String
    public var type: OptionType
    public var defaultValue: OptionDefault
    /// When the option applies; nil when it always does.
    public var applicability: Applicability?

    public init(_ name: String, _ placeholder: String, _ summary: String, _ type: OptionType,
                default defaultValue: OptionDefault, appliesWhen applicability: Applicability? = nil) {
        self.name = name
        self.placeholder = placeholder
        self.summary = summary
        self.type = type
        self.defaultValue = defaultValue
        self.applicability = applicability
    }

    /// The words the value may be, for completion (`optimizer=adam`); empty when it is a number.
    public var choices: [String] {
        switch type {
        case .boolean: ["true", "false"]
        case .word(let words), .wholeNumberOrWord(_, let words), .expression(let words): words
        case .wholeNumber, .number: []
        }
    }
}

/// The groups `help` lists the commands in.
public enum CommandGroup: String, CaseIterable, Sendable {
    case network = "Network"
    case data = "Data"
    case training = "Training"
    case inspection = "Inspection"
    case session = "Session"
}

/// Everything nn knows about one command: its syntax, its help, its arguments and options.
public struct CommandSpec: Sendable {
    public var name: String
    public var group: CommandGroup
    public var summary: String
    public var details: [String]
    public var positional: [ArgumentSpec]
    public var options: [OptionSpec]
    /// Whether the command is followed by a whole statement (`time train …`).
    public var takesStatement: Bool
    public var examples: [String]

    public init(
        _ name: String, _ group: CommandGroup, _ summary: String, positional: [ArgumentSpec] = [], options: [OptionSpec] = [],
        takesStatement: Bool = false, details: [String] = [], examples: [String] = []
    ) {
        self.name = name
        self.group = group
        self.summary = summary
        self.positional = positional
        self.options = options
        self.takesStatement = takesStatement
        self.details = details
        self.examples = examples
    }

    /// The usage line: `layer N [ACTIVATION] [alpha=X]`.
    public var synopsis: String {
        var parts = [name]
        if takesStatement { parts.append("STATEMENT") }
        for argument in positional where !argument.placeholder.isEmpty {  // "" continues the one before
            let text = argument.kind == .values ? "\(argument.placeholder)[, \(argument.placeholder)…]" : argument.placeholder
            parts.append(argument.isOptional ? "[\(text)]" : text)
        }
        // An option without a default must be given.
        parts += options.map { $0.defaultValue == .required ? "\($0.name)=\($0.placeholder)" : "[\($0.name)=\($0.placeholder)]" }
        return parts.joined(separator: " ")
    }
}


extension OptionSpec {
    /// Transitional: an option of a command not yet moved into a command value, read by hand.
    init(_ name: String, _ placeholder: String, _ summary: String, default defaultText: String? = nil, choices: [String] = []) {
        self.init(name, placeholder, summary, .expression(completions: choices),
                  default: defaultText.map { .described($0) } ?? .required)
    }
}
