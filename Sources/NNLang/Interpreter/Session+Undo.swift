/// What `undo` remembers: the workspace before each statement that changed it.
extension Session {
    /// Records the workspace as it was before a statement that changed it.
    func rememberForUndo(_ before: Workspace, statement: Statement) {
        guard before != workspace else { return }
        if case .command(let command) = statement.kind, command.name == "undo" { return }
        undoStack.append((before, Session.undoLabel(of: statement)))
        trimUndoStack()
    }

    /// How `undo` names a statement: `train (line 12)`, `W1 = … (line 4)`.
    static func undoLabel(of statement: Statement) -> String {
        let line = " (line \(statement.span.start.line))"
        switch statement.kind {
        case .command(let command): return command.name + line
        case .assignment(let target, _): return "\(target.name) = …" + line
        case .expression: return "an expression" + line
        case .functionDefinition(let definition): return "def \(definition.name)" + line
        case .forLoop: return "for" + line
        case .conditional: return "if" + line
        case .repeatLoop: return "repeat" + line
        }
    }
}
