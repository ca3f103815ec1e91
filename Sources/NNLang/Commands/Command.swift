import NNEngine

/// One command of the language: what it accepts and what it does, in one value.
///
/// The spec (name, group, arguments, typed options with their defaults, ranges and the
/// conditions under which they apply, help text, examples, completion words) is what the
/// parser checks, `help` prints, Tab completes and "did you mean" searches. `run` does the
/// work, reading its options through the spec (`invocation.wholeNumber("epochs")`), so help's
/// "(default: 100)" and the behaviour are the same words. Adding a command is a new type in
/// its family's file and one line in `CommandTable.all`.
protocol Command: Sendable {
    var spec: CommandSpec { get }
    /// Runs the command. Its options were checked against their conditions before.
    func run(_ invocation: Invocation) throws(Diagnostic)
}

/// One run of a command: the statement as written, the session it runs in, and readers for
/// its arguments and options that go through the spec.
final class Invocation {
    let session: Session
    let statement: CommandStatement
    let spec: CommandSpec
    /// The whole statement, where a runtime error that is about no one argument points.
    let span: SourceSpan
    /// What happens after this command: `quit` and `time quit` end the program.
    var flow: Session.Flow = .next
    /// The options the run has read, for the test that every declared option is read.
    private(set) var optionsRead: Set<String> = []

    init(session: Session, statement: CommandStatement, spec: CommandSpec, span: SourceSpan) {
        self.session = session
        self.statement = statement
        self.spec = spec
        self.span = span
    }

    // MARK: - The session

    var workspace: Workspace {
        get { session.workspace }
        set { session.workspace = newValue }
    }

    var settings: Settings {
        get { session.settings }
        set { session.settings = newValue }
    }

    var formatter: ValueFormatter { session.settings.formatter }

    func write(_ line: String) {
        session.write(line)
    }

    /// Writes a table, its first line painted as a heading.
    func write(_ table: TextTable) {
        let lines = table.lines
        guard let heading = lines.first else { return }
        write(session.palette.paint(heading, as: .heading))
        lines.dropFirst().forEach(write)
    }

    func evaluate(_ expression: Expression) throws(Diagnostic) -> Value {
        try session.evaluate(expression)
    }

    // MARK: - Positional arguments

    /// The positional argument at `index`, if given.
    func argument(_ index: Int) -> Expression? {
        index < statement.positional.count ? statement.positional[index] : nil
    }

    /// The bare word at `index` (`sigmoid` in `layer 2 sigmoid`), if one is given there.
    func word(_ index: Int) -> String? {
        argument(index)?.bareName
    }

    // MARK: - Options, read through their spec

    /// Whether the command's spec declares the option `name`.
    func declares(_ name: String) -> Bool {
        spec.options.contains { $0.name == name }
    }

    /// The spec of the option `name`, which the command must declare.
    func optionSpec(_ name: String) -> OptionSpec {
        guard let option = spec.options.first(where: { $0.name == name }) else {
            preconditionFailure("'\(spec.name)' reads option '\(name)', which its spec does not declare")
        }
        return option
    }

    /// The option `name` as written, if given.
    func option(_ name: String) -> CommandOption? {
        _ = optionSpec(name)
        optionsRead.insert(name)
        return statement.option(name)
    }

    /// Whether the option `name` was given.
    func isGiven(_ name: String) -> Bool {
        option(name) != nil
    }

    /// A whole-number option: its value, checked against its range, or its default.
    func wholeNumber(_ name: String) throws(Diagnostic) -> Int {
        if let value = try givenWholeNumber(name) { return value }
        return defaultValue(name) { Int($0) }
    }

    /// A whole-number option's value, checked against its range, or nil when it is not given.
    func givenWholeNumber(_ name: String) throws(Diagnostic) -> Int? {
        guard let given = option(name) else { return nil }
        let range: ClosedRange<Int>
        switch optionSpec(name).type {
        case .wholeNumber(let bounds), .wholeNumberOrWord(let bounds, _): range = bounds
        default: preconditionFailure("option '\(name)' of '\(spec.name)' is not a whole number")
        }
        return try session.wholeNumber(given.value, what: name, minimum: range.lowerBound, maximum: range.upperBound)
    }

    /// A number option: its value, checked against its bounds, or its default.
    func number(_ name: String) throws(Diagnostic) -> Double {
        if let value = try givenNumber(name) { return value }
        return defaultValue(name) { Double($0) }
    }

    /// A number option's value, checked against its bounds, or nil when it is not given.
    func givenNumber(_ name: String) throws(Diagnostic) -> Double? {
        guard let given = option(name) else { return nil }
        guard case .number(let bounds) = optionSpec(name).type else {
            preconditionFailure("option '\(name)' of '\(spec.name)' is not a number")
        }
        let value = try session.number(given.value, what: name)
        guard bounds.contains(value) else {
            throw Diagnostic(.settingOutOfRange(setting: name, range: bounds.text, got: formatter.format(value)), at: given.value.span)
        }
        return value
    }

    /// A true/false option: its value or its default.
    func boolean(_ name: String) throws(Diagnostic) -> Bool {
        guard let given = option(name) else { return defaultValue(name) { ["true": true, "false": false][$0] } }
        return try session.boolean(given, default: false)
    }

    /// A word option (`optimizer=adam`): its value, one of its words, or its default; nil when
    /// it is not given and its default is described rather than a word.
    func givenWord(_ name: String) throws(Diagnostic) -> String? {
        guard let given = option(name) else { return nil }
        let words: [String]
        switch optionSpec(name).type {
        case .word(let list), .wholeNumberOrWord(_, let list): words = list
        default: preconditionFailure("option '\(name)' of '\(spec.name)' is not a word")
        }
        guard let word = given.value.bareName, words.contains(word) else {
            let word = given.value.bareName ?? ""
            throw Diagnostic(.unknownWord(kind: name, name: word, suggestion: Suggestion.closest(to: word, among: words)), at: given.value.span)
        }
        return word
    }

    /// A word option's value or its default.
    func word(_ name: String) throws(Diagnostic) -> String {
        if let word = try givenWord(name) { return word }
        return defaultValue(name) { $0 }
    }

    /// The default of option `name`, parsed as its reader parses a value. A default that does
    /// not parse is a mistake in the spec, which the registry test finds.
    private func defaultValue<T>(_ name: String, _ parse: (String) -> T?) -> T {
        guard case .value(let text) = optionSpec(name).defaultValue, let value = parse(text) else {
            preconditionFailure("option '\(name)' of '\(spec.name)' has no default of its type")
        }
        return value
    }

    // MARK: - Conditions

    /// Refuses every given option whose condition does not hold, in the order written.
    func checkApplicability() throws(Diagnostic) {
        for given in statement.options {
            guard let condition = spec.options.first(where: { $0.name == given.name })?.applicability else { continue }
            if try !condition.holds(self) {
                throw Diagnostic(.optionNotApplicable(option: given.name, appliesTo: condition.description), at: given.nameSpan)
            }
        }
    }
}
