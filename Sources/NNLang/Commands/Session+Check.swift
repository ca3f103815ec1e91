import NNEngine

/// Checking and asserting: `gradcheck`, `deriv`, `table`, `expect`; worked examples; and
/// `snapshot`, `restore`, `undo`.
extension Session {
    // MARK: - gradcheck

    // MARK: - deriv and table

    // MARK: - expect

    /// expect EXPR OP VALUE [tol=X]: silent when it holds (✓ at the prompt); otherwise a
    /// diagnostic with both values, the program goes on, and it ends with exit status 1.
    func expect(_ command: CommandStatement, span: SourceSpan) throws(Diagnostic) {
        let claim = command.positional[0]
        guard case .binary(let operation, let leftExpression, let rightExpression) = claim.kind, operation.isComparison else {
            throw Diagnostic(.expectedValue(what: "a comparison like loss < 0.1 or w5 == 0.35891648", got: "an expression"), at: claim.span)
        }
        var tolerance = 1e-6
        if let option = command.option("tol") {
            tolerance = try number(option.value, what: "tol")
            guard tolerance >= 0 else { throw Diagnostic(.settingOutOfRange(setting: "tol", range: "0 or more", got: formatter.format(tolerance)), at: option.value.span) }
            guard operation == .equal || operation == .notEqual else {
                throw Diagnostic(.optionNotApplicable(option: "tol", appliesTo: "== and !="), at: option.nameSpan)
            }
        }
        let actual = try evaluate(leftExpression)
        let expected = try evaluate(rightExpression)
        let holds = try at(claim.span) { () throws(Problem) in try Session.compare(actual, operation, expected, tolerance: tolerance) }
        if holds {
            if confirmsExpectations { write("✓") }
            return
        }
        failedExpectations += 1
        let tolerancePart = (operation == .equal || operation == .notEqual) ? " (tolerance \(formatter.format(tolerance)))" : ""
        report(Diagnostic(.expectationFailed(
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

    // MARK: - example

    /// example NAME: a classic worked example, set up and ready to explain.
    func loadExample(_ command: CommandStatement, span: SourceSpan) throws(Diagnostic) {
        guard let name = command.positional.first?.bareName, let example = WorkedExamples.named(name) else {
            throw Diagnostic(.unknownWord(kind: "example", name: command.positional.first?.bareName ?? "", suggestion: nil), at: span)
        }
        workspace.startOver()
        let parsed = Parser.parse(example.source)
        for statement in parsed.statements { _ = try execute(statement) }
        write("example \(name): \(example.summary)")
    }

    // MARK: - snapshot, restore, undo

    func snapshot(_ command: CommandStatement, span: SourceSpan) throws(Diagnostic) {
        guard let network else { throw Diagnostic(.noNetwork(command: "snapshot"), at: span) }
        let name = command.positional[0].bareName ?? ""
        snapshots[name] = network
        write("snapshot \(name): \(network.parameterCount) parameters")
    }

    func restore(_ command: CommandStatement, span: SourceSpan) throws(Diagnostic) {
        let name = command.positional[0].bareName ?? ""
        guard let saved = snapshots[name] else {
            throw Diagnostic(.unknownName(name, suggestion: Suggestion.closest(to: name, among: Array(snapshots.keys))), at: command.positional[0].span)
        }
        network = saved
        write("restored \(name)")
    }

    /// Records the workspace as it was before a statement that changed it.
    func rememberForUndo(_ before: Workspace, statement: Statement) {
        guard before != workspace else { return }
        if case .command(let command) = statement.kind, command.name == "undo" { return }
        undoStack.append((before, Session.describe(statement)))
        if undoStack.count > 20 { undoStack.removeFirst() }
    }

    func undo(span: SourceSpan) throws(Diagnostic) {
        guard let last = undoStack.popLast() else { throw Diagnostic(.nothingToUndo, at: span) }
        workspace = last.workspace
        write("undone: \(last.description)")
    }

    /// How `undo` names a statement: `train (line 12)`, `W1 = … (line 4)`.
    static func describe(_ statement: Statement) -> String {
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
