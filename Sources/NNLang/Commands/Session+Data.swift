import NNEngine

/// The data commands: `data`, `split`, `normalize`, `show data`, and the training and test
/// parts they define.
extension Session {
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

    /// data NAME [n=N] [noise=X] [seed=N] [classes=K] [inputs=M]
    /// data "FILE.csv" [target=COLUMN] | data "FILE.data"
    /// data x=MATRIX|"x.npy" y=MATRIX|"y.npy"
    func setData(_ command: CommandStatement, span: SourceSpan) throws(Diagnostic) {
        if let source = command.positional.first {
            if case .string(let path) = source.kind {
                try install(try readDataFile(path, command: command, span: source.span), span: source.span)
            } else if let name = source.bareName {
                try install(try namedDataSet(name, command: command, span: source.span), span: source.span)
            }
            return
        }
        guard let xOption = command.option("x") else { throw Diagnostic(.missingOption(command: "data", option: "x"), at: span) }
        guard let yOption = command.option("y") else { throw Diagnostic(.missingOption(command: "data", option: "y"), at: span) }
        for option in command.options where !["x", "y"].contains(option.name) {
            throw Diagnostic(.optionNotApplicable(option: option.name, appliesTo: "data sets and files"), at: option.nameSpan)
        }
        let inputs = try matrixOrArrayFile(xOption, what: "inputs")
        let targets = try matrixOrArrayFile(yOption, what: "targets")
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
        let name = [xOption, yOption].allSatisfy { if case .string = $0.value.kind { true } else { false } } ? "x and y from .npy files" : "x and y"
        try install(DataSet(inputs: inputs, targets: targets, classNames: Session.inferredClassNames(targets), name: name), span: span)
    }

    /// An option's matrix: a value, or a `.npy` file named by a string.
    private func matrixOrArrayFile(_ option: CommandOption, what: String) throws(Diagnostic) -> Matrix {
        guard case .string(let path) = option.value.kind else {
            return try sampleMatrix(try evaluate(option.value), what: what, span: option.value.span)
        }
        let bytes = try readFile(path, span: option.value.span)
        switch NumpyFormat.decode(bytes) {
        case .success(let matrix):
            if let index = matrix.storage.firstIndex(where: { !$0.isFinite }) {
                let (row, column) = (index / max(1, matrix.columns) + 1, index % max(1, matrix.columns) + 1)
                throw Diagnostic(.nonFiniteInArray(path: path, row: row, column: column), at: option.value.span)
            }
            return matrix
        case .failure(let error):
            throw Diagnostic(.dataFile(path: path, error: error), at: option.value.span)
        }
    }

    /// The options each named data set takes.
    private static func dataSetOptions(_ name: String) -> [String] {
        switch name {
        case "xor", "and", "or", "iris", "digits": return []
        case "blobs": return ["n", "noise", "seed", "classes", "inputs"]
        case "linear": return ["n", "noise", "seed", "inputs"]
        case "random": return ["n", "seed", "classes", "inputs"]
        default: return ["n", "noise", "seed"]
        }
    }

    /// A generated or bundled data set.
    private func namedDataSet(_ name: String, command: CommandStatement, span: SourceSpan) throws(Diagnostic) -> DataSet {
        let valid = Session.dataSetOptions(name)
        for option in command.options where !valid.contains(option.name) && !(option.name == "samples" && valid.contains("n")) {
            throw Diagnostic(.dataSetOptions(name: name, valid: valid), at: option.nameSpan)
        }
        if let bundled = BundledData.dataSet(named: name) { return bundled }
        if let table = DataGenerator.TruthTable(rawValue: name) { return DataGenerator.truthTable(table) }

        let countOption = command.option("n") ?? command.option("samples")
        let samples = try countOption.map { option throws(Diagnostic) in try wholeNumber(option.value, what: "the number of samples", minimum: 1, maximum: maxElements) } ?? DataGenerator.defaultSampleCount
        let noise = try command.option("noise").map { option throws(Diagnostic) in
            let value = try number(option.value, what: "noise")
            guard value >= 0 else { throw Diagnostic(.settingOutOfRange(setting: "noise", range: "0 or more", got: formatter.format(value)), at: option.value.span) }
            return value
        } ?? DataGenerator.defaultNoise
        let seed = try command.option("seed").map { option throws(Diagnostic) in UInt64(try wholeNumber(option.value, what: "the seed", minimum: 0, maximum: 1 << 53)) } ?? generator.next()
        let classes = try command.option("classes").map { option throws(Diagnostic) in try wholeNumber(option.value, what: "classes", minimum: 2, maximum: 10_000) }
        let inputs = try command.option("inputs").map { option throws(Diagnostic) in try wholeNumber(option.value, what: "inputs", minimum: 1, maximum: 1_000_000) }
        let elements = samples.multipliedReportingOverflow(by: (inputs ?? 2) + (classes ?? 1))
        guard !elements.overflow, elements.partialValue <= maxElements else {
            throw Diagnostic(.tooManyElements(count: elements.overflow ? Int.max : elements.partialValue, limit: maxElements), at: span)
        }
        switch name {
        case "circles": return DataGenerator.circles(samples: samples, noise: noise, seed: seed)
        case "moons": return DataGenerator.moons(samples: samples, noise: noise, seed: seed)
        case "spirals": return DataGenerator.spirals(samples: samples, noise: noise, seed: seed)
        case "gaussians": return DataGenerator.gaussians(samples: samples, noise: noise, seed: seed)
        case "blobs": return DataGenerator.blobs(samples: samples, classes: classes ?? 3, inputs: inputs ?? 2, noise: noise, seed: seed)
        case "sine": return DataGenerator.sine(samples: samples, noise: noise, seed: seed)
        case "linear": return DataGenerator.linear(samples: samples, inputs: inputs ?? 1, noise: noise, seed: seed)
        case "random":
            guard let inputs, let classes else {
                throw Diagnostic(.missingOption(command: "data random", option: inputs == nil ? "inputs" : "classes"), at: span)
            }
            return DataGenerator.random(samples: samples, inputs: inputs, classes: classes, seed: seed)
        default:
            // The parser checked the name against the same list.
            throw Diagnostic(.unknownWord(kind: "data set", name: name, suggestion: nil), at: span)
        }
    }

    /// A data file: CSV (with `target=`, else the last column) or FANN's `.data`.
    private func readDataFile(_ path: String, command: CommandStatement, span: SourceSpan) throws(Diagnostic) -> DataSet {
        let isFANN = path.hasSuffix(".data")
        for option in command.options where !(option.name == "target" && !isFANN) {
            throw Diagnostic(.optionNotApplicable(option: option.name, appliesTo: isFANN ? "data sets" : "data sets, and target= to CSV files"), at: option.nameSpan)
        }
        if path.hasSuffix(".npy") { throw Diagnostic(.npyNeedsBothArrays, at: span) }
        var target: String?
        if let option = command.option("target") {
            switch option.value.kind {
            case .name(let column), .string(let column): target = column
            default: throw Diagnostic(.expectedValue(what: "a column name for target", got: "an expression"), at: option.value.span)
            }
        }
        let bytes = try readFile(path, span: span)
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let result = isFANN ? FANNReader.read(bytes: bytes, name: name) : CSVReader.read(bytes: bytes, target: target, name: name)
        switch result {
        case .success(let data): return data
        case .failure(let error): throw Diagnostic(.dataFile(path: path, error: error), at: span)
        }
    }

    /// A whole file's bytes, or a diagnostic at `span` saying why not.
    func readFile(_ path: String, span: SourceSpan) throws(Diagnostic) -> [UInt8] {
        switch FileAccess.readFile(path) {
        case .success(let bytes): return bytes
        case .failure(let error): throw Diagnostic(.file(error), at: span)
        }
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
        // Wide data (digits' 64 pixels) shows its first columns and an ellipsis.
        let shownColumns = dataSet.inputs.columns > 8 ? 6 : dataSet.inputs.columns
        let ellipsis = shownColumns < dataSet.inputs.columns ? ["…"] : []
        var table = TextTable(Array(repeating: .right, count: shownColumns + ellipsis.count) + [.left])
        let targetHeading = dataSet.isClassification ? "class" : "target"
        table.add(Array(dataSet.featureNames.prefix(shownColumns)) + ellipsis + [targetHeading])
        let shown = min(5, dataSet.sampleCount)
        let short = ValueFormatter(precision: min(precision, 4))
        for row in 0..<shown {
            let target: String
            if dataSet.isClassification {
                target = dataSet.classNames[Session.classIndex(of: dataSet.targets.row(row))]
            } else {
                target = short.format(dataSet.targets.row(row).count == 1 ? .scalar(dataSet.targets[row, 0]) : .vector(dataSet.targets.row(row)))
            }
            table.add(dataSet.inputs.row(row).prefix(shownColumns).map(short.format) + ellipsis + [target])
        }
        let lines = table.lines
        write(palette.paint(lines[0], as: .heading))
        lines.dropFirst().forEach(write)
        if dataSet.sampleCount > shown { write("… \(dataSet.sampleCount - shown) more") }
    }

    /// The class of a target row: `Metrics.classIndex(of:)`.
    static func classIndex(of target: [Double]) -> Int {
        Metrics.classIndex(of: target)
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
