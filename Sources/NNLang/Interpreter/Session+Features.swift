import NNEngine

/// Engineered features: read from `data … features=[…]` and from model files, and computed
/// for raw inputs with x1…xm bound to the raw columns.
extension Session {
    /// The features of `features=[EXPR, …]` for data with `rawInputCount` inputs: each may read
    /// x1…xm, e and pi, numbers and functions, nothing else of the session.
    func features(from expression: Expression, rawInputCount: Int, rawNames: [String]) throws(Diagnostic) -> Features {
        guard case .list(let elements) = expression.kind, !elements.isEmpty else {
            throw Diagnostic(.expectedValue(what: "a list of features like [x1, x2, x1 * x2, x1^2, sin(x1)]", got: "an expression"), at: expression.span)
        }
        let allowed = Set((1...max(1, rawInputCount)).map { "x\($0)" }).union(["e", "pi"])
        for element in elements {
            for name in ExpressionText.names(in: element) where !allowed.contains(name) {
                throw Diagnostic(.featureName(name: name, rawInputCount: rawInputCount), at: element.span)
            }
        }
        return Features(texts: elements.map { ExpressionText.text($0) }, expressions: elements,
                        rawInputCount: rawInputCount, rawInputs: nil, rawNames: rawNames)
    }

    /// Features read back from their text (a model file's), checked as `features=` checks them.
    func features(texts: [String], rawInputCount: Int, span: SourceSpan) throws(Diagnostic) -> Features {
        var elements: [Expression] = []
        for text in texts {
            let parsed = Parser.parse(text)
            guard parsed.diagnostics.isEmpty, parsed.statements.count == 1, case .expression(let expression) = parsed.statements[0].kind else {
                throw Diagnostic(.expectedValue(what: "a feature expression in the model file", got: "'\(text)'"), at: span)
            }
            elements.append(expression)
        }
        let list = Expression(.list(elements), span: span)
        return try features(from: list, rawInputCount: rawInputCount, rawNames: (1...max(1, rawInputCount)).map { "x\($0)" })
    }

    /// The feature columns for `raw` inputs (one row per sample, `rawInputCount` columns).
    func featureMatrix(_ features: Features, raw: Matrix, span: SourceSpan) throws(Diagnostic) -> Matrix {
        guard raw.columns == features.rawInputCount else {
            throw Diagnostic(.inputWidthMismatch(what: "the input", columns: raw.columns, inputs: features.rawInputCount), at: span)
        }
        var scope: [String: Value] = [:]
        for column in 0..<raw.columns {
            scope["x\(column + 1)"] = .vector((0..<raw.rows).map { raw[$0, column] })
        }
        scopes.append(scope)
        defer { scopes.removeLast() }
        var result = Matrix(rows: raw.rows, columns: features.expressions.count)
        for (column, expression) in features.expressions.enumerated() {
            let value = try evaluate(expression)
            let values: [Double]
            switch value {
            case .scalar(let number): values = Array(repeating: number, count: raw.rows)
            case .vector(let elements) where elements.count == raw.rows: values = elements
            default:
                throw Diagnostic(.expectedValue(what: "one number per sample from the feature \(features.texts[column])", got: value.shapeDescription),
                                 at: expression.span)
            }
            guard values.allSatisfy(\.isFinite) else {
                throw Diagnostic(.expectedValue(what: "finite values of the feature \(features.texts[column])", got: "NaN or infinity"), at: span)
            }
            for row in 0..<raw.rows { result[row, column] = values[row] }
        }
        return result
    }

    /// Raw inputs as the network takes them: their features, if the data has any, then the
    /// normalization.
    func preparedInputs(_ raw: Matrix, span: SourceSpan) throws(Diagnostic) -> Matrix {
        guard let features = workspace.features else { return workspace.normalized(raw) }
        return workspace.normalized(try featureMatrix(features, raw: raw, span: span))
    }
}
