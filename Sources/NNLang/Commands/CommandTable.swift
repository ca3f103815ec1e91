import NNEngine

/// The commands nn understands: the ONE table that the parser's checks, `help`,
/// "did you mean" and tab completion all read.
public enum CommandTable {
    /// Every command, in the order `help` lists them within their groups.
    static let all: [any Command] = [
        InputCommand(),
        LayerCommand(),
        LossCommand(),
        DataCommand(),
        SplitCommand(),
        NormalizeCommand(),
        LegacyCommand(spec: LegacySpecs.explain),
        LegacyCommand(spec: LegacySpecs.gradcheck),
        LegacyCommand(spec: LegacySpecs.deriv),
        LegacyCommand(spec: LegacySpecs.table),
        LegacyCommand(spec: LegacySpecs.expect),
        LegacyCommand(spec: LegacySpecs.example),
        LegacyCommand(spec: LegacySpecs.snapshot),
        LegacyCommand(spec: LegacySpecs.restore),
        LegacyCommand(spec: LegacySpecs.undo),
        EvaluateCommand(),
        ConfusionCommand(),
        HistoryCommand(),
        ShowCommand(),
        LegacyCommand(spec: LegacySpecs.forward),
        LegacyCommand(spec: LegacySpecs.grad),
        StepCommand(),
        TrainCommand(),
        OptimizerCommand(),
        InitCommand(),
        LegacyCommand(spec: LegacySpecs.predict),
        LegacyCommand(spec: LegacySpecs.plot),
        LegacyCommand(spec: LegacySpecs.draw),
        SummaryCommand(),
        ResetCommand(),
        ClearCommand(),
        LegacyCommand(spec: LegacySpecs.save),
        LegacyCommand(spec: LegacySpecs.load),
        LegacyCommand(spec: LegacySpecs.exportSpec),
        LegacyCommand(spec: LegacySpecs.printSpec),
        LegacyCommand(spec: LegacySpecs.setSpec),
        LegacyCommand(spec: LegacySpecs.timeSpec),
        LegacyCommand(spec: LegacySpecs.help),
        LegacyCommand(spec: LegacySpecs.quit),
        LegacyCommand(spec: LegacySpecs.exitSpec),
    ]

    /// Each command's spec, for the parser, help and completion.
    public static let commands: [CommandSpec] = all.map(\.spec)


    /// The command named `name`, if there is one.
    public static func command(named name: String) -> CommandSpec? {
        byName[name]?.spec
    }

    /// The command to run for `name`.
    static func runnable(named name: String) -> (any Command)? {
        byName[name]
    }

    private static let byName: [String: any Command] = Dictionary(all.map { ($0.spec.name, $0) }, uniquingKeysWith: { first, _ in first })

    public static var names: [String] { commands.map(\.name) }
}
