import NNEngine

/// plot EXPR of two free names: the function over a rectangle, with optimizer paths over it.
extension PlotCommand {
    /// path= and paths= draw descents over a function of one or two variables.
    static let surfacesOnly = Applicability("expressions of one or two variables") { invocation throws(Diagnostic) in
        switch try subject(of: invocation) {
        case .surface, .curve: return true
        default: return false
        }
    }

    /// path=P and paths=[P1, P2, …], after the options plot had before.
    static let surfaceOptions: [OptionSpec] = [
        OptionSpec("path", "P", "a path of descend (one row per point) to draw over the function", .expression(),
                   default: .described("none"), appliesWhen: surfacesOnly),
        OptionSpec("paths", "[P1, P2, …]", "several paths, with a legend", .expression(), default: .described("none"),
                   appliesWhen: surfacesOnly),
    ]

    /// The end `name` (from or to) of axis `axis` (0 for x, 1 for y), or nil when it is not
    /// given: a number for every axis, or on a surface a list of one number per axis.
    static func givenEnd(_ name: String, axis: Int, axes: Int, _ invocation: Invocation) throws(Diagnostic) -> Double? {
        guard let option = invocation.option(name) else { return nil }
        let value = try invocation.evaluate(option.value)
        let number: Double?
        switch value {
        case .scalar(let scalar): number = scalar
        case .vector(let elements) where elements.count == axes && axes > 1: number = elements[axis]
        case .matrix(let matrix) where matrix.storage.count == axes && axes > 1 && matrix.rows == 1: number = matrix.storage[axis]
        default: number = nil
        }
        guard let number, number.isFinite else {
            let what = axes > 1 ? "a number, or [x, y], for \(name)=" : "a number for \(name)="
            throw Diagnostic(.expectedValue(what: what, got: invocation.session.messageText(value)), at: option.value.span)
        }
        return number
    }

    /// The function of `x` and `y` over the ranges of from= and to= (default −4 to 4 on both
    /// axes), sampled at the centres of `columns` × `rows` cells; a point where it has no
    /// finite value is a gap, and none anywhere is the first error.
    func surface(_ expression: Expression, x: String, y: String, columns: Int, rows: Int, _ invocation: Invocation) throws(Diagnostic) -> Picture {
        let xRange = try range(invocation, default: -4...4, axis: 0, axes: 2)
        let yRange = try range(invocation, default: -4...4, axis: 1, axes: 2)
        let paths = try Self.paths(invocation)
        let session = invocation.session
        let saved = (session.variables[x], session.variables[y])
        defer { (session.variables[x], session.variables[y]) = saved }
        var plot = SurfacePlot(title: ExpressionText.text(expression), xLabel: x, yLabel: y, x: xRange, y: yRange, rows: rows, columns: columns,
                               values: [], paths: paths)
        plot.values.reserveCapacity(rows * columns)
        var firstError: Diagnostic?
        for row in 0..<rows {
            if session.interruptRequested() { throw Diagnostic(.interruptedPart(done: row, of: "of \(rows) rows of the picture"), at: expression.span) }
            session.variables[y] = .scalar(plot.yOfRow(Double(row)))
            for column in 0..<columns {
                session.variables[x] = .scalar(plot.xOfColumn(Double(column)))
                let value: Value
                do throws(Diagnostic) {
                    value = try session.evaluate(expression)
                } catch {
                    firstError = firstError ?? error
                    plot.values.append(.nan)
                    continue
                }
                if case .text = value { throw Diagnostic(.expectedValue(what: "a number at each \(x), \(y) to plot", got: "a string"), at: expression.span) }
                guard value.elements.count == 1 else {
                    throw Diagnostic(.expectedValue(what: "a number at each \(x), \(y) to plot", got: value.shapeDescription), at: expression.span)
                }
                plot.values.append(value.elements[0].isFinite ? value.elements[0] : .nan)
            }
        }
        if let firstError, !plot.values.contains(where: \.isFinite) { throw firstError }
        return .surface(plot)
    }

    /// On a curve, the paths of path= and paths= (one column, the variable's values) as series
    /// of the points (x, f(x)), each named as written; points outside the x range are left out.
    func pathSeries(_ expression: Expression, over variable: String, within range: ClosedRange<Double>,
                    _ invocation: Invocation) throws(Diagnostic) -> [LinePlot.Series] {
        let session = invocation.session
        let saved = session.variables[variable]
        defer { session.variables[variable] = saved }
        var series: [LinePlot.Series] = []
        for path in try Self.pathValues(invocation) {
            guard case .matrix(let matrix) = path.value, matrix.columns == 1 else {
                throw Diagnostic(.expectedValue(what: "a path of one column, \(variable), one row per point (descend keeps one in path)",
                                                got: session.messageText(path.value)), at: path.expression.span)
            }
            var points: [LinePlot.Point] = []
            for row in 0..<matrix.rows {
                let x = matrix[row, 0]
                session.variables[variable] = .scalar(x)
                let y = range.contains(x) ? (try? session.evaluate(expression))?.elements.first ?? .nan : .nan
                points.append(.init(x: x, y: y))
            }
            series.append(.init(name: ExpressionText.text(path.expression), points: points))
        }
        return series
    }

    /// The values of path= and paths=, each with the expression it was written as.
    private static func pathValues(_ invocation: Invocation) throws(Diagnostic) -> [(expression: Expression, value: Value)] {
        var expressions: [Expression] = []
        if let option = invocation.option("path") { expressions.append(option.value) }
        if let option = invocation.option("paths") {
            guard case .list(let elements) = option.value.kind else {
                throw Diagnostic(.expectedValue(what: "a list of paths for paths=, such as [p1, p2]", got: "one value: use path= for one"),
                                 at: option.value.span)
            }
            expressions += elements
        }
        var values: [(expression: Expression, value: Value)] = []
        for expression in expressions { values.append((expression, try invocation.evaluate(expression))) }
        return values
    }

    /// The paths of path= and paths=, each named as written.
    private static func paths(_ invocation: Invocation) throws(Diagnostic) -> [SurfacePlot.Path] {
        var paths: [SurfacePlot.Path] = []
        for (expression, value) in try pathValues(invocation) {
            guard case .matrix(let matrix) = value, matrix.columns == 2 else {
                throw Diagnostic(.expectedValue(what: "a path of two columns, x and y, one row per point (descend keeps one in path)",
                                                got: invocation.session.messageText(value)), at: expression.span)
            }
            let points = (0..<matrix.rows).map { LinePlot.Point(x: matrix[$0, 0], y: matrix[$0, 1]) }
            paths.append(SurfacePlot.Path(name: ExpressionText.text(expression), points: points))
        }
        return paths
    }
}
