import NNEngine

// Runs side by side: `plot loss runs=[sgd, adam]` (or runs=all) draws the training loss of runs
// kept by `train … run=NAME`, one curve each, with a legend.

extension PlotCommand {
    static let runOptions: [OptionSpec] = [
        OptionSpec("runs", "[NAME, …]", "plot loss: the runs to draw side by side (train … run=NAME), or all",
                   .expression(completions: [Workspace.allRunsName]), default: .described("the last run"), appliesWhen: lossOnly),
    ]

    static let runDetails = [
        "loss runs=[sgd, adam]: the training loss of runs kept by 'train … run=NAME', one curve each, with a legend;",
        "runs=all draws every named run, and 'last' names the last run trained.",
    ]

    static let runExamples = ["plot loss runs=[sgd, adam]", "plot loss runs=all to \"runs.svg\""]

    /// runs= draws loss curves.
    static let lossOnly = Applicability("plot loss") { invocation throws(Diagnostic) in
        if case .loss = try subject(of: invocation) { return true }
        return false
    }

    /// The runs `runs=` names: a list of names, one name, or `all`.
    static func chosenRuns(_ invocation: Invocation) throws(Diagnostic) -> [TrainingRun] {
        guard let option = invocation.option("runs") else { return [] }
        let workspace = invocation.workspace
        let names: [(String, SourceSpan)]
        switch option.value.kind {
        case .name(Workspace.allRunsName):
            guard !workspace.runs.isEmpty else {
                throw Diagnostic(.expectedValue(what: "runs kept by 'train … run=NAME' to draw", got: "none yet"), at: option.value.span)
            }
            return workspace.runs
        case .name(let name):
            names = [(name, option.value.span)]
        case .list(let elements) where !elements.isEmpty:
            var found: [(String, SourceSpan)] = []
            for element in elements {
                guard let name = element.bareName else {
                    throw Diagnostic(.expectedValue(what: "a run's name", got: ExpressionText.text(element)), at: element.span)
                }
                found.append((name, element.span))
            }
            names = found
        default:
            throw Diagnostic(.expectedValue(what: "runs=[NAME, …] or runs=all", got: ExpressionText.text(option.value)), at: option.value.span)
        }
        var runs: [TrainingRun] = []
        for (name, span) in names { runs.append(try workspace.run(named: name, span: span)) }
        return runs
    }

    /// The training loss of each chosen run by epoch, over from=…to= (by default every epoch of
    /// the longest run).
    func runsPicture(_ invocation: Invocation, span: SourceSpan) throws(Diagnostic) -> Picture {
        let runs = try Self.chosenRuns(invocation)
        let epochs = runs.flatMap { $0.history.map(\.epoch) }
        let first = epochs.min() ?? 1
        let last = epochs.max() ?? 1
        let shown = try range(invocation, default: Double(first)...Double(max(last, first + 1)))
        let series = runs.map { run in
            LinePlot.Series(name: run.name, points: run.history.filter { shown.contains(Double($0.epoch)) }.map { .init(x: Double($0.epoch), y: $0.loss) })
        }
        return .lines(LinePlot(title: "training loss by epoch", xLabel: "epoch", yLabel: "loss (\(invocation.workspace.loss.name))", series: series))
    }
}
