import NNEngine

/// A subscript of `NAME[…]` evaluated, before it is checked against its dimension.
struct EvaluatedSubscript {
    /// A number or a vector of positions; for a range, unused.
    var value: Value
    /// `a:b` with its ends, either of which may be open.
    var range: (from: Int?, to: Int?)?
    var span: SourceSpan

    /// Whether it selects many positions (`2:5`, `:`, `[1, 3]`) rather than one.
    var isSlice: Bool {
        if range != nil { return true }
        if case .vector = value { return true }
        return false
    }
}

/// Slices: `X[:, 1]`, `X[2:5, :]`, `X[:, [1, 3]]`, `v[2:4]`, 1-based and inclusive as every index.
extension Session {
    /// Evaluates each subscript once: a range's ends, or the expression's value.
    func evaluateSubscripts(_ expressions: [Expression]) throws(Diagnostic) -> [EvaluatedSubscript] {
        var subscripts: [EvaluatedSubscript] = []
        for expression in expressions {
            if case .range(let from, let to) = expression.kind {
                let start = try from.map { bound throws(Diagnostic) in try wholeNumber(bound, what: "the start of a slice", minimum: 1) }
                let end = try to.map { bound throws(Diagnostic) in try wholeNumber(bound, what: "the end of a slice", minimum: 1) }
                subscripts.append(EvaluatedSubscript(value: .scalar(0), range: (start, end), span: expression.span))
            } else {
                subscripts.append(EvaluatedSubscript(value: try evaluate(expression), range: nil, span: expression.span))
            }
        }
        return subscripts
    }

    /// `NAME[…]` with at least one range or vector subscript: the selected part of the value.
    func slice(_ name: String, nameSpan: SourceSpan, _ subscripts: [EvaluatedSubscript], span: SourceSpan) throws(Diagnostic) -> Value {
        let base = try evaluate(Expression(.name(name), span: nameSpan))
        let axes = try self.axes(subscripts, of: base, name: name)
        let text = "[" + subscripts.map { subscriptText($0) }.joined(separator: ", ") + "]"
        return try at(span) { () throws(Problem) in try base.selecting(axes, name: name, text: text) }
    }

    /// Each subscript as the positions it selects in its dimension of `base`.
    func axes(_ subscripts: [EvaluatedSubscript], of base: Value, name: String) throws(Diagnostic) -> [Axis] {
        let dimensions = base.subscriptDimensions
        var axes: [Axis] = []
        for (index, item) in subscripts.enumerated() {
            let size = index < dimensions.count ? dimensions[index] : 0
            if let (from, to) = item.range {
                let first = from ?? 1, last = to ?? size
                guard first <= last else {
                    throw Diagnostic(.expectedValue(what: "a slice a:b with a ≤ b", got: subscriptText(item)), at: item.span)
                }
                axes.append(.many(Array(first...last)))
                continue
            }
            switch item.value {
            case .vector(let elements):
                var positions: [Int] = []
                for element in elements {
                    positions.append(try wholeNumber(.scalar(element), at: item.span, what: "an index", minimum: 1))
                }
                axes.append(.many(positions))
            default:
                axes.append(.single(try wholeNumber(item.value, at: item.span, what: "an index", minimum: 1)))
            }
        }
        return axes
    }

    /// A subscript as a message writes it: `2`, `2:5`, `:`, `[1, 3]`.
    private func subscriptText(_ item: EvaluatedSubscript) -> String {
        if let (from, to) = item.range {
            if from == nil && to == nil { return ":" }
            return (from.map(String.init) ?? "") + ":" + (to.map(String.init) ?? "")
        }
        return formatter.format(item.value)
    }
}
