import NNEngine

/// One training run's history kept under a name (`train … run=NAME`), for `history NAME` and
/// `plot loss runs=[…]`.
public struct TrainingRun: Equatable, Sendable {
    public var name: String
    public var history: [EpochRecord]
}

extension Workspace {
    /// The name that always means the last run, named or not.
    static let lastRunName = "last"
    /// The word that means every named run in `runs=`.
    static let allRunsName = "all"

    /// Keeps `history` under `name`, replacing a run of that name (which then moves to the end).
    mutating func keepRun(_ name: String, history: [EpochRecord]) {
        runs.removeAll { $0.name == name }
        runs.append(TrainingRun(name: name, history: history))
    }

    /// The run called `name`: `last` is the last run trained, named or not.
    func run(named name: String, span: SourceSpan) throws(Diagnostic) -> TrainingRun {
        if name == Workspace.lastRunName {
            guard !trainingHistory.isEmpty else { throw Diagnostic(.nothingTrained, at: span) }
            return TrainingRun(name: name, history: trainingHistory)
        }
        if let run = runs.first(where: { $0.name == name }) { return run }
        let known = runs.map(\.name) + [Workspace.lastRunName]
        throw Diagnostic(.unknownWord(kind: "run", name: name, suggestion: Suggestion.closest(to: name, among: known)), at: span)
    }
}
