import NNEngine

/// The data commands: `data`, `split`, `normalize`, `show data`, and the training and test
/// parts they define.
extension Session {
    /// The samples the network learns from: the training part of the data, normalized.
    public var trainingSet: DataSet? {
        guard let dataSet else { return nil }
        return normalized(split.map { dataSet.subset($0.training) } ?? dataSet)
    }

    /// The samples held out by `split`, normalized with the training part's statistics.
    public var testSet: DataSet? {
        guard let dataSet, let split else { return nil }
        return normalized(dataSet.subset(split.test))
    }

    /// Inputs scaled by the session's normalization, when there is one of their width.
    func normalized(_ inputs: Matrix) -> Matrix {
        guard let normalization, normalization.offsets.count == inputs.columns else { return inputs }
        return normalization.apply(inputs)
    }

    private func normalized(_ data: DataSet) -> DataSet {
        var data = data
        data.inputs = normalized(data.inputs)
        return data
    }

    /// Makes `data` the session's data: no split yet; a normalization of another width no
    /// longer applies.
    func install(_ data: DataSet, span: SourceSpan) throws(Diagnostic) {
        if let network, !network.layers.isEmpty {
            guard data.inputs.columns == network.inputCount else {
                throw Diagnostic(.inputWidthMismatch(what: "the data's x", columns: data.inputs.columns, inputs: network.inputCount), at: span)
            }
            guard data.targets.columns == network.outputCount else {
                throw Diagnostic(.targetWidthMismatch(columns: data.targets.columns, outputs: network.outputCount), at: span)
            }
        }
        dataSet = data
        split = nil
        if let normalization, normalization.offsets.count != data.inputs.columns { self.normalization = nil }
    }

    // MARK: - data

    /// data x=MATRIX y=MATRIX
    func setData(_ command: CommandStatement, span: SourceSpan) throws(Diagnostic) {
        guard let xOption = command.option("x") else { throw Diagnostic(.missingOption(command: "data", option: "x"), at: span) }
        guard let yOption = command.option("y") else { throw Diagnostic(.missingOption(command: "data", option: "y"), at: span) }
        let inputs = try sampleMatrix(try evaluate(xOption.value), what: "inputs", span: xOption.value.span)
        let targets = try sampleMatrix(try evaluate(yOption.value), what: "targets", span: yOption.value.span)
        guard inputs.rows == targets.rows else {
            throw Diagnostic(.sampleCountMismatch(xRows: inputs.rows, yRows: targets.rows), at: yOption.value.span)
        }
        if let network {
            guard inputs.columns == network.inputCount else {
                throw Diagnostic(.inputWidthMismatch(what: "x", columns: inputs.columns, inputs: network.inputCount), at: xOption.value.span)
            }
            if !network.layers.isEmpty, targets.columns != network.outputCount {
                throw Diagnostic(.targetWidthMismatch(columns: targets.columns, outputs: network.outputCount), at: yOption.value.span)
            }
        }
        try install(DataSet(inputs: inputs, targets: targets, classNames: Session.inferredClassNames(targets), name: "x and y"), span: span)
    }

    /// Targets typed by hand are classes when they look like classes: a single 0/1 column, or
    /// one-hot rows. Then accuracy and `confusion` apply.
    static func inferredClassNames(_ targets: Matrix) -> [String] {
        guard targets.storage.allSatisfy({ $0 == 0 || $0 == 1 }) else { return [] }
        if targets.columns == 1 { return ["0", "1"] }
        for row in 0..<targets.rows where targets.row(row).reduce(0, +) != 1 { return [] }
        return (0..<targets.columns).map(String.init)
    }

    // MARK: - split, normalize, show data

    /// split test=F [seed=N]: a seeded random share of the samples held out for testing.
    func splitData(_ command: CommandStatement, span: SourceSpan) throws(Diagnostic) {
        guard let dataSet else { throw Diagnostic(.noData(command: "split"), at: span) }
        var fraction = 0.2
        if let option = command.option("test") {
            fraction = try number(option.value, what: "test")
            guard fraction > 0, fraction < 1 else {
                throw Diagnostic(.settingOutOfRange(setting: "test", range: "between 0 and 1", got: formatter.format(fraction)), at: option.value.span)
            }
        }
        var generator = self.generator
        if let option = command.option("seed") {
            generator = SeededGenerator(seed: UInt64(try wholeNumber(option.value, what: "the seed", minimum: 0, maximum: 1 << 53)))
        }
        let count = dataSet.sampleCount
        let testCount = Int((Double(count) * fraction).rounded())
        guard testCount >= 1, testCount < count else {
            throw Diagnostic(.settingOutOfRange(setting: "test", range: "a share leaving at least one sample on each side of \(count)", got: formatter.format(fraction)), at: span)
        }
        var order = Array(0..<count)
        order.shuffle(using: &generator)
        if command.option("seed") == nil { self.generator = generator }
        split = DataSplit(training: Array(order[testCount...]).sorted(), test: Array(order[..<testCount]).sorted())
        write("split: \(count - testCount) training, \(testCount) test samples")
    }

    /// normalize standard|minmax|none: statistics from the training part, kept with the model.
    func normalize(_ command: CommandStatement, span: SourceSpan) throws(Diagnostic) {
        let word = command.positional.first?.bareName ?? "standard"
        guard word != "none" else {
            normalization = nil
            return
        }
        guard let method = Normalization.Method(rawValue: word) else {
            throw Diagnostic(.unknownWord(kind: "normalization", name: word, suggestion: nil), at: span)
        }
        guard let dataSet else { throw Diagnostic(.noData(command: "normalize"), at: span) }
        let training = split.map { dataSet.subset($0.training) } ?? dataSet
        normalization = Normalization(method: method, fittedTo: training.inputs)
    }

    /// show data: the shape, the classes, the split and the first rows.
    func showData(span: SourceSpan) throws(Diagnostic) {
        guard let dataSet else { throw Diagnostic(.noData(command: "show"), at: span) }
        let targets = dataSet.targets.columns == 1 ? "1 target" : "\(dataSet.targets.columns) targets"
        write("data: \(dataSet.name.isEmpty ? "unnamed" : dataSet.name), \(dataSet.sampleCount) samples, \(dataSet.inputs.columns) inputs, \(targets)")
        if dataSet.isClassification {
            let counts = Session.classCounts(dataSet)
            write("classes: " + zip(dataSet.classNames, counts).map { "\($0) (\($1))" }.joined(separator: ", "))
        } else {
            write("targets: numbers (regression)")
        }
        if let split { write("split: \(split.training.count) training, \(split.test.count) test") }
        if let normalization { write("normalize: \(normalization.method.rawValue), fitted to the training part") }
        var table = TextTable(Array(repeating: .right, count: dataSet.inputs.columns) + [.left])
        let targetHeading = dataSet.isClassification ? "class" : "target"
        table.add(dataSet.featureNames + [targetHeading])
        let shown = min(5, dataSet.sampleCount)
        let short = ValueFormatter(precision: min(precision, 4))
        for row in 0..<shown {
            let target: String
            if dataSet.isClassification {
                target = dataSet.classNames[Session.classIndex(of: dataSet.targets.row(row))]
            } else {
                target = short.format(dataSet.targets.row(row).count == 1 ? .scalar(dataSet.targets[row, 0]) : .vector(dataSet.targets.row(row)))
            }
            table.add(dataSet.inputs.row(row).map(short.format) + [target])
        }
        let lines = table.lines
        write(palette.paint(lines[0], as: .heading))
        lines.dropFirst().forEach(write)
        if dataSet.sampleCount > shown { write("… \(dataSet.sampleCount - shown) more") }
    }

    /// The class of a target row: the arg-max of a one-hot row, or 0/1 for a single column.
    static func classIndex(of target: [Double]) -> Int {
        if target.count == 1 { return target[0] >= 0.5 ? 1 : 0 }
        var best = 0
        for (index, value) in target.enumerated() where value > target[best] { best = index }
        return best
    }

    static func classCounts(_ data: DataSet) -> [Int] {
        var counts = [Int](repeating: 0, count: data.classNames.count)
        for row in 0..<data.sampleCount {
            let index = classIndex(of: data.targets.row(row))
            if index < counts.count { counts[index] += 1 }
        }
        return counts
    }
}
