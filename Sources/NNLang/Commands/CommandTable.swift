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
        ExplainCommand(),
        GradcheckCommand(),
        DerivCommand(),
        TableCommand(),
        ExpectCommand(),
        ExampleCommand(),
        SnapshotCommand(),
        RestoreCommand(),
        UndoCommand(),
        EvaluateCommand(),
        ConfusionCommand(),
        ReportCommand(),
        HistoryCommand(),
        ShowCommand(),
        ForwardCommand(),
        GradCommand(),
        StepCommand(),
        TrainCommand(),
        CrossvalCommand(),
        OptimizerCommand(),
        DescendCommand(),
        FreezeCommand(freezes: true),
        FreezeCommand(freezes: false),
        InitCommand(),
        PredictCommand(),
        PlotCommand(),
        DrawCommand(),
        SummaryCommand(),
        ResetCommand(),
        ClearCommand(),
        SaveCommand(),
        LoadCommand(),
        ExportCommand(),
        PrintCommand(),
        SetCommand(),
        TimeCommand(),
        HelpCommand(),
        QuitCommand(name: "quit"),
        QuitCommand(name: "exit"),
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
