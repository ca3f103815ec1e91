import NNEngine

/// Pictures: `plot` (loss curves, activations, decision regions, matrices, functions of x)
/// and `draw` (the network), in the terminal or to a file.
extension Session {
    /// Where a picture goes: the terminal, or a file whose format its extension says.
    private enum Destination {
        case terminal
        case file(path: String, span: SourceSpan)
    }

    // MARK: - plot

    /// plot WHAT [to "FILE"] [from=X] [to=X] [width=N] [height=N]
    ///
    /// WHAT is read as a word first (loss, boundary, an activation's name), then as an
    /// expression: a matrix or vector is a heat map; an expression with one free name is a
    /// curve over that name (`plot sigmoid(x) * 2`).
    func plot(_ command: CommandStatement, span: SourceSpan) throws(Diagnostic) {
        let destination = try self.destination(command, from: 1)
        if case .file(let path, let pathSpan) = destination, !path.lowercased().hasSuffix(".svg") {
            throw Diagnostic(.expectedValue(what: "a file name ending in .svg", got: "'\(path)'"), at: pathSpan)
        }
        let width = try command.option("width").map { option throws(Diagnostic) in
            try wholeNumber(option.value, what: "width", minimum: Session.plotWidthRange.lowerBound, maximum: Session.plotWidthRange.upperBound)
        } ?? plotWidth
        let height = try command.option("height").map { option throws(Diagnostic) in try wholeNumber(option.value, what: "height", minimum: 4, maximum: 200) }
        let terminal = TerminalPlot(width: width, height: height, charset: charset, coloured: palette.isEnabled)

        let what = command.positional[0]
        let picture: Picture
        switch what.bareName {
        case "loss":
            picture = try lossPicture(command, span: what.span)
        case "boundary":
            let size: (columns: Int, rows: Int)
            if case .file = destination {
                size = (SVGPlot.regionResolution, SVGPlot.regionResolution)
            } else {
                size = TerminalPlot.regionCanvasSize(width: width, height: height)
            }
            picture = try regionPicture(columns: size.columns, rows: size.rows, span: what.span)
        case let name? where Activation.names.contains(name):
            picture = try activationPicture(name, command, span: what.span)
        default:
            picture = try expressionPicture(what, command)
        }
        try show(picture, terminal: terminal, destination: destination)
    }

    /// Writes a picture's lines to the output, or its SVG to the file and echoes the path.
    private func show(_ picture: Picture, terminal: TerminalPlot, destination: Destination) throws(Diagnostic) {
        switch destination {
        case .terminal:
            terminal.render(picture).forEach(write)
        case .file(let path, let pathSpan):
            try writePicture(SVGPlot.render(picture), to: path, span: pathSpan)
        }
    }

    private func writePicture(_ text: String, to path: String, span: SourceSpan) throws(Diagnostic) {
        if case .failure(let error) = FileAccess.writeFile(path, Array(text.utf8)) {
            throw Diagnostic(.file(error), at: span)
        }
        write("saved \(path)")
    }

    /// The file after a bare `to` among the positional arguments from `index` on, if any.
    /// (`to=` with a value is the range option; `to "FILE"` names where the picture goes.)
    private func destination(_ command: CommandStatement, from index: Int) throws(Diagnostic) -> Destination {
        let rest = Array(command.positional.dropFirst(index))
        guard let first = rest.first else { return .terminal }
        guard first.bareName == "to" else {
            let found: String
            if case .string = first.kind { found = "a file name: write to \"FILE\"" } else { found = first.bareName.map { "'\($0)'" } ?? "an expression" }
            throw Diagnostic(.expected("'to' before a file name", found: found), at: first.span)
        }
        guard rest.count > 1, case .string(let path) = rest[1].kind, !path.isEmpty else {
            let place = rest.count > 1 ? rest[1].span : first.span
            throw Diagnostic(.missingArgument(command: command.name, what: "a file name in quotes after 'to'"), at: place)
        }
        return .file(path: path, span: rest[1].span)
    }

    /// The range of `from=` and `to=`, or the default.
    private func range(_ command: CommandStatement, default defaultRange: ClosedRange<Double>) throws(Diagnostic) -> ClosedRange<Double> {
        let from = try command.option("from").map { option throws(Diagnostic) in try number(option.value, what: "from") } ?? defaultRange.lowerBound
        let to = try command.option("to").map { option throws(Diagnostic) in try number(option.value, what: "to") } ?? defaultRange.upperBound
        guard from < to else {
            throw Diagnostic(.settingOutOfRange(setting: "from", range: "less than to=\(formatter.format(to))", got: formatter.format(from)),
                             at: command.option("from")?.value.span ?? command.option("to")?.value.span ?? command.nameSpan)
        }
        return from...to
    }

    /// Points across a plot: enough for a smooth curve at any terminal width.
    static let curveSamples = 401

    // MARK: - What to plot

    /// The training loss of every epoch of the last `train`, and the validation loss when there was one.
    private func lossPicture(_ command: CommandStatement, span: SourceSpan) throws(Diagnostic) -> Picture {
        guard let last = trainingHistory.last else { throw Diagnostic(.nothingTrained, at: span) }
        let epochs = try range(command, default: Double(trainingHistory[0].epoch)...Double(max(last.epoch, trainingHistory[0].epoch + 1)))
        let records = trainingHistory.filter { epochs.contains(Double($0.epoch)) }
        var series = [LinePlot.Series(name: "training loss", points: records.map { .init(x: Double($0.epoch), y: $0.loss) })]
        if records.contains(where: { $0.validationLoss != nil }) {
            series.append(.init(name: "validation loss", points: records.map { .init(x: Double($0.epoch), y: $0.validationLoss ?? .nan) }))
        }
        return .lines(LinePlot(title: "loss by epoch", xLabel: "epoch", yLabel: "loss (\(loss.name))", series: series))
    }

    /// φ(z) and φ'(z) over the range.
    private func activationPicture(_ name: String, _ command: CommandStatement, span: SourceSpan) throws(Diagnostic) -> Picture {
        guard let activation = Activation(name: name), activation.isElementwise else {
            throw Diagnostic(.expectedValue(what: "an elementwise activation (softmax mixes its inputs: see explain grad)", got: name), at: span)
        }
        let zRange = try range(command, default: -4...4)
        let zs = samples(zRange)
        return .lines(LinePlot(title: "\(name) and its derivative", xLabel: "z", yLabel: "", series: [
            .init(name: "\(name)(z)", points: zs.map { .init(x: $0, y: activation.value($0)) }),
            .init(name: "\(name)'(z)", points: zs.map { .init(x: $0, y: activation.derivative($0)) }),
        ], xRange: zRange))
    }

    private func samples(_ range: ClosedRange<Double>) -> [Double] {
        let count = Session.curveSamples
        return (0..<count).map { range.lowerBound + (range.upperBound - range.lowerBound) * Double($0) / Double(count - 1) }
    }

    /// A matrix or vector as a heat map, or an expression of one variable as a curve.
    ///
    /// The variable is the expression's one free name: a name that is not a parameter, `loss`,
    /// a function or a variable. With no free name, a matrix or vector is drawn as it is, and
    /// a number is a curve over `x` if the expression reads `x` (which the plot then shadows).
    private func expressionPicture(_ expression: Expression, _ command: CommandStatement) throws(Diagnostic) -> Picture {
        let names = ExpressionText.names(in: expression)
        let free = names.filter { name in
            ParameterReference.split(name) == nil && name != "loss" && variables[name] == nil && Builtins.function(named: name) == nil
        }
        guard free.count <= 1 else {
            throw Diagnostic(.plotTakesOneVariable(names: free), at: expression.span)
        }
        let title = ExpressionText.text(expression)
        if let variable = free.first {
            return try curve(expression, over: variable, title: title, command)
        }
        let value = try evaluate(expression)
        switch value {
        case .matrix(let matrix):
            return .matrix(matrixPlot(matrix.rowArrays, title: title, name: expression.bareName))
        case .vector(let elements):
            return .matrix(MatrixPlot(title: "\(title) (\(elements.count))", values: [elements], rowLabel: "", columnLabel: "element"))
        case .scalar where names.contains("x"):
            return try curve(expression, over: "x", title: title, command)
        case .scalar, .text:
            throw Diagnostic(.expectedValue(what: "something to draw: loss, boundary, an activation, a matrix, or an expression of x such as sigmoid(x)", got: describe(value)), at: expression.span)
        }
    }

    /// A weight matrix's rows are the neurons of its layer, its columns their inputs.
    private func matrixPlot(_ rows: [[Double]], title: String, name: String?) -> MatrixPlot {
        let shape = "\(rows.count)×\(rows.first?.count ?? 0)"
        if let name, name.first == "W", let layer = Int(name.dropFirst()) {
            return MatrixPlot(title: "\(title) (\(shape))", values: rows, rowLabel: "neuron of layer \(layer)",
                              columnLabel: layer == 1 ? "input" : "neuron of layer \(layer - 1)")
        }
        return MatrixPlot(title: "\(title) (\(shape))", values: rows, rowLabel: "row", columnLabel: "column")
    }

    /// The expression evaluated with `variable` bound to each point of the range. A point where
    /// it has no value (log of a negative number) is a gap; none at all is the first error.
    private func curve(_ expression: Expression, over variable: String, title: String, _ command: CommandStatement) throws(Diagnostic) -> Picture {
        let xRange = try range(command, default: -4...4)
        let xs = samples(xRange)
        let saved = variables[variable]
        defer { variables[variable] = saved }
        var points: [LinePlot.Point] = []
        var firstError: Diagnostic?
        for x in xs {
            variables[variable] = .scalar(x)
            let value: Value
            do throws(Diagnostic) {
                value = try evaluate(expression)
            } catch {
                firstError = firstError ?? error
                points.append(.init(x: x, y: .nan))
                continue
            }
            // A one-element vector counts as a number: predict([x]) of a network with one output.
            let elements = value.elements
            if case .text = value { throw Diagnostic(.expectedValue(what: "a number at each \(variable) to plot", got: "a string"), at: expression.span) }
            guard elements.count == 1 else {
                throw Diagnostic(.expectedValue(what: "a number at each \(variable) to plot", got: value.shapeDescription), at: expression.span)
            }
            points.append(.init(x: x, y: elements[0].isFinite ? elements[0] : .nan))
        }
        if let firstError, !points.contains(where: { $0.y.isFinite }) { throw firstError }
        return .lines(LinePlot(title: title, xLabel: variable, yLabel: "", series: [.init(name: title, points: points)], xRange: xRange))
    }

    /// The classes the network predicts over the plane of the data's two inputs, with the
    /// samples: a grid in the data's own (raw) units, normalized as every input is.
    private func regionPicture(columns: Int, rows: Int, span: SourceSpan) throws(Diagnostic) -> Picture {
        let command = "plot boundary"
        let network = try requireLayers(command: command, span: span)
        guard let data = dataSet else { throw Diagnostic(.noData(command: command), at: span) }
        guard data.inputs.columns == 2 else { throw Diagnostic(.boundaryNeedsTwoInputs(inputs: data.inputs.columns), at: span) }
        guard data.isClassification else { throw Diagnostic(.notClassification(command: command), at: span) }
        if let training = trainingSet { try checkFit(training, to: network, span: span) }

        let xs = (0..<data.sampleCount).map { data.inputs[$0, 0] }
        let ys = (0..<data.sampleCount).map { data.inputs[$0, 1] }
        func padded(_ values: [Double]) -> ClosedRange<Double> {
            let low = values.min() ?? 0
            let high = values.max() ?? 1
            let pad = high > low ? (high - low) * 0.08 : 1
            return (low - pad)...(high + pad)
        }
        let xRange = padded(xs)
        let yRange = padded(ys)
        var grid: [Double] = []
        grid.reserveCapacity(rows * columns * 2)
        for row in 0..<rows {
            let y = yRange.upperBound - (Double(row) + 0.5) / Double(rows) * (yRange.upperBound - yRange.lowerBound)
            for column in 0..<columns {
                grid.append(xRange.lowerBound + (Double(column) + 0.5) / Double(columns) * (xRange.upperBound - xRange.lowerBound))
                grid.append(y)
            }
        }
        let outputs = network.predict(normalized(Matrix(rows: rows * columns, columns: 2, storage: grid)))
        let classCount = max(2, data.classNames.count)
        let cells = (0..<outputs.rows).map { RegionPlot.Cell(classOf: outputs.row($0), classCount: classCount) }
        let testSamples = Set(split?.test ?? [])
        let samples = (0..<data.sampleCount).map { index in
            RegionPlot.Sample(x: xs[index], y: ys[index], label: RegionPlot.Cell(classOf: data.targets.row(index), classCount: classCount).predicted,
                              isTest: testSamples.contains(index))
        }
        let title = "decision regions" + (data.name.isEmpty ? "" : ": " + data.name)
        return .regions(RegionPlot(title: title, xLabel: data.featureNames[0], yLabel: data.featureNames[1], x: xRange, y: yRange,
                                   classNames: data.classNames, rows: rows, columns: columns, cells: cells, samples: samples))
    }

    // MARK: - draw

    /// draw [to "FILE"]: the network in the terminal, or as Graphviz DOT (.dot, .gv) or SVG.
    func draw(_ command: CommandStatement, span: SourceSpan) throws(Diagnostic) {
        let network = try requireLayers(command: "draw", span: span)
        let drawing = NetworkDrawing(network: network, notationChoice: notation)
        switch try destination(command, from: 0) {
        case .terminal:
            drawing.terminalLines(charset: charset).forEach(write)
        case .file(let path, let pathSpan):
            let lowered = path.lowercased()
            if lowered.hasSuffix(".dot") || lowered.hasSuffix(".gv") {
                try writePicture(drawing.dot(), to: path, span: pathSpan)
            } else if lowered.hasSuffix(".svg") {
                try writePicture(drawing.svg(), to: path, span: pathSpan)
            } else {
                throw Diagnostic(.expectedValue(what: "a file name ending in .dot, .gv or .svg", got: "'\(path)'"), at: pathSpan)
            }
        }
    }

    // MARK: - Settings

    /// The widths `set width` and `width=` accept.
    static let plotWidthRange = 20...1000

    /// set charset unicode|ascii, set width N
    func setPictureSetting(_ setting: Setting, _ value: Expression) throws(Diagnostic) {
        switch setting {
        case .charset:
            guard let word = value.bareName, let chosen = Charset(rawValue: word) else {
                throw Diagnostic(.expectedValue(what: "unicode or ascii for charset", got: value.bareName.map { "'\($0)'" } ?? "an expression"), at: value.span)
            }
            charset = chosen
        default:
            plotWidth = try wholeNumber(value, what: "width", minimum: Session.plotWidthRange.lowerBound, maximum: Session.plotWidthRange.upperBound)
        }
    }
}

extension RegionPlot.Cell {
    /// The class an output row (or a target row) stands for, and how sure it is: one column
    /// is the probability of class 1; several are one per class.
    init(classOf output: [Double], classCount: Int) {
        let best = Metrics.classIndex(of: output)
        if output.count == 1 {
            let probability = output[0].isFinite ? min(1, max(0, output[0])) : 0.5
            self.init(predicted: best, confidence: abs(2 * probability - 1))
            return
        }
        let chance = 1 / Double(max(2, classCount))
        let confidence = output[best].isFinite ? (min(1, output[best]) - chance) / (1 - chance) : 0
        self.init(predicted: best, confidence: min(1, max(0, confidence)))
    }
}
