import NNEngine

// The data commands: data, split, normalize, show.

/// data NAME [n=N] [noise=X] [seed=N] [classes=K] [inputs=M]
/// data "FILE.csv" [target=COLUMN|N] [sep=C] [header=false] [classes=true] | data "FILE.data"
/// data x=MATRIX|"x.npy"|"d.npz:x" y=MATRIX|"y.npy"|"d.npz:y" [classes=true]
struct DataCommand: Command {
    let spec = CommandSpec(
        "data", .data, "set the training data: a data set, a file, or matrices",
        positional: [ArgumentSpec("SOURCE", "a data set name or a file name in quotes", .source(.dataSet), optional: true)],
        options: [
            OptionSpec("x", "MATRIX", "the inputs, one row per sample, or a .npy file or \"archive.npz:member\"", .expression(),
                       default: .described("with SOURCE, none"), appliesWhen: DataCommand.takenBySource("x")),
            OptionSpec("y", "MATRIX", "the targets, one row per sample, or a .npy file or \"archive.npz:member\"", .expression(),
                       default: .described("with SOURCE, none"), appliesWhen: DataCommand.takenBySource("y")),
            OptionSpec("target", "COLUMN", "a CSV file's target column, by name (or by position N without a header)", .expression(),
                       default: .described("the last column"), appliesWhen: DataCommand.takenBySource("target")),
            OptionSpec("sep", "C", "a CSV file's separator: \";\", \"|\", tab (or \"\\t\")", .expression(completions: ["tab"]),
                       default: .described("a comma"), appliesWhen: DataCommand.takenBySource("sep")),
            OptionSpec("header", "BOOL", "whether a CSV file's first line names the columns (else x1…xm and the target y)", .boolean,
                       default: .value("true"), appliesWhen: DataCommand.takenBySource("header")),
            // At most the session's max_elements, a bound `run` narrows the range to.
            OptionSpec("n", "N", "generated data: the number of samples", .wholeNumber(1...Int.max),
                       default: .value(String(DataGenerator.defaultSampleCount)), appliesWhen: DataCommand.takenBySource("n")),
            OptionSpec("samples", "N", "generated data: the same as n=", .wholeNumber(1...Int.max),
                       default: .value(String(DataGenerator.defaultSampleCount)), appliesWhen: DataCommand.takenBySource("samples")),
            OptionSpec("noise", "X", "generated data: the noise's standard deviation", .number(.nonNegative),
                       default: .value(String(DataGenerator.defaultNoise)), appliesWhen: DataCommand.takenBySource("noise")),
            OptionSpec("seed", "N", "generated data: the seed", .wholeNumber(0...(1 << 53)),
                       default: .described("drawn from the session's generator"), appliesWhen: DataCommand.takenBySource("seed")),
            OptionSpec("classes", "K|BOOL", "blobs and random: the number of classes; files and y=: true when the targets are class labels",
                       .wholeNumberOrWord(2...10_000, ["true", "false"]),
                       default: .described("3 for blobs; in files, text targets are classes and numbers are not"),
                       appliesWhen: DataCommand.takenBySource("classes")),
            OptionSpec("inputs", "M", "blobs, linear and random: the number of inputs", .wholeNumber(1...1_000_000),
                       default: .described("2 for blobs, 1 for linear"), appliesWhen: DataCommand.takenBySource("inputs")),
        ],
        details: [
            "Generated, as in TensorFlow Playground: xor, and, or (truth tables), circles, moons, spirals, gaussians",
            "(two classes, a 0/1 target); blobs (classes=K, one-hot); sine, linear (regression); random (benchmarks:",
            "inputs uniform in [0, 1), one-hot labels; needs inputs= and classes=).",
            "Bundled: iris (150 flowers, 4 measurements, 3 species) and digits (1797 8×8 images, 10 digits).",
            "Files: CSV (target= names the target column; sep=\";\" or sep=tab; header=false names the columns x1…xm",
            "and takes the last column, or target=N, as the target; an empty cell, NA or NaN is an error); FANN .data;",
            "NumPy .npy (any numeric or bool dtype) and .npz members (\"d.npz:x\") through x= and y=.",
            "classes=true: the target is class labels (whole numbers 0…K−1 for y=), one-hot for K > 2 classes.",
            "A vector stands for a single sample. New data replaces the old, and its split.",
        ],
        examples: [
            "data xor", "data circles n=300 noise=0.2 seed=1", "data iris",
            "data \"flowers.csv\" target=species", "data \"measures.csv\" sep=\";\" header=false target=1",
            "data x=\"x.npy\" y=\"y.npy\"", "data x=\"mnist.npz:x_train\" y=\"mnist.npz:y_train\" classes=true",
            "data x=[[0, 0], [0, 1], [1, 0], [1, 1]] y=[[0], [1], [1], [0]]",
        ])

    func run(_ invocation: Invocation) throws(Diagnostic) {
        if let source = invocation.argument(0) {
            let data: DataSet
            if case .string(let path) = source.kind {
                data = try Self.readDataFile(path, invocation, span: source.span)
            } else {
                data = try Self.namedDataSet(source.bareName ?? "", invocation, span: source.span)
            }
            try Self.install(data, invocation, span: source.span)
            return
        }
        guard let xOption = invocation.option("x") else { throw Diagnostic(.missingOption(command: "data", option: "x"), at: invocation.span) }
        guard let yOption = invocation.option("y") else { throw Diagnostic(.missingOption(command: "data", option: "y"), at: invocation.span) }
        let inputs = try Self.matrixOrArrayFile(xOption, what: "inputs", invocation)
        var targets = try Self.matrixOrArrayFile(yOption, what: "targets", invocation)
        var classNames = Self.inferredClassNames(targets)
        if try invocation.session.boolean(invocation.option("classes"), default: false) {
            (targets, classNames) = try Self.classLabels(targets, invocation, span: yOption.value.span)
        }
        guard inputs.rows == targets.rows else {
            throw Diagnostic(.sampleCountMismatch(xRows: inputs.rows, yRows: targets.rows), at: yOption.value.span)
        }
        if let network = invocation.workspace.network {
            guard inputs.columns == network.inputCount else {
                throw Diagnostic(.inputWidthMismatch(what: "x", columns: inputs.columns, inputs: network.inputCount), at: xOption.value.span)
            }
            if !network.layers.isEmpty, targets.columns != network.outputCount {
                throw Diagnostic(.targetWidthMismatch(columns: targets.columns, outputs: network.outputCount), at: yOption.value.span)
            }
        }
        let fromFiles = [xOption, yOption].allSatisfy { if case .string = $0.value.kind { true } else { false } }
        let data = DataSet(inputs: inputs, targets: targets, classNames: classNames,
                           name: fromFiles ? "x and y from NumPy files" : "x and y")
        try Self.install(data, invocation, span: invocation.span)
    }

    /// Makes `data` the workspace's data, once it fits a network that has layers.
    private static func install(_ data: DataSet, _ invocation: Invocation, span: SourceSpan) throws(Diagnostic) {
        if let network = invocation.workspace.network, !network.layers.isEmpty {
            try Workspace.checkFit(data, to: network, span: span)
        }
        invocation.workspace.install(data)
    }

    // MARK: - Which source takes which option

    /// The options a CSV file takes.
    static let csvOptions = ["target", "sep", "header", "classes"]

    /// The condition of option `name`: a data set takes its generator's options, a CSV file
    /// `target=`, `sep=`, `header=` and `classes=`, a FANN file none, and x= and y= go
    /// without a source, with `classes=`.
    static func takenBySource(_ name: String) -> Applicability {
        Applicability("data sets and files") { invocation throws(Diagnostic) in
            guard let source = invocation.argument(0) else { return ["x", "y", "classes"].contains(name) }
            let nameSpan = invocation.statement.option(name)?.nameSpan ?? invocation.span
            if case .string(let path) = source.kind {
                let isFANN = path.hasSuffix(".data")
                if csvOptions.contains(name) && !isFANN { return true }
                throw Diagnostic(.optionNotApplicable(option: name, appliesTo: isFANN ? "data sets" : "data sets, and target=, sep=, header= and classes= to CSV files"), at: nameSpan)
            }
            let dataSet = source.bareName ?? ""
            let valid = generatorOptions(dataSet)
            guard valid.contains(name) || (name == "samples" && valid.contains("n")) else {
                throw Diagnostic(.dataSetOptions(name: dataSet, valid: valid), at: nameSpan)
            }
            // samples= is n= by another name: both at once would leave one unread.
            if name == "samples", invocation.statement.option("n") != nil {
                throw Diagnostic(.duplicateOption("n"), at: nameSpan)
            }
            return true
        }
    }

    /// The options each named data set takes.
    private static func generatorOptions(_ name: String) -> [String] {
        switch name {
        case "xor", "and", "or", "iris", "digits": return []
        case "blobs": return ["n", "noise", "seed", "classes", "inputs"]
        case "linear": return ["n", "noise", "seed", "inputs"]
        case "random": return ["n", "seed", "classes", "inputs"]
        default: return ["n", "noise", "seed"]
        }
    }

    // MARK: - Sources

    /// A generated or bundled data set.
    private static func namedDataSet(_ name: String, _ invocation: Invocation, span: SourceSpan) throws(Diagnostic) -> DataSet {
        if let bundled = BundledData.dataSet(named: name) { return bundled }
        if let table = DataGenerator.TruthTable(rawValue: name) { return DataGenerator.truthTable(table) }

        let maxElements = invocation.settings.maxElements
        let samples: Int
        if let given = try invocation.givenWholeNumber("n", describedAs: "the number of samples", maximum: maxElements) {
            samples = given
        } else if let given = try invocation.givenWholeNumber("samples", describedAs: "the number of samples", maximum: maxElements) {
            samples = given
        } else {
            samples = try invocation.wholeNumber("n")
        }
        let noise = try invocation.number("noise")
        let givenSeed = try invocation.givenWholeNumber("seed", describedAs: "the seed")
        let seed = givenSeed.map { UInt64($0) } ?? invocation.session.generator.next()
        if let given = invocation.option("classes"), ["true", "false"].contains(given.value.bareName) {
            throw Diagnostic(.expectedValue(what: "the number of classes for \(name)", got: "'\(given.value.bareName ?? "")'"), at: given.value.span)
        }
        let classes = try invocation.givenWholeNumber("classes")
        let inputs = try invocation.givenWholeNumber("inputs")
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
    private static func readDataFile(_ path: String, _ invocation: Invocation, span: SourceSpan) throws(Diagnostic) -> DataSet {
        if path.hasSuffix(".npy") || path.hasSuffix(".npz") || path.contains(".npz:") { throw Diagnostic(.npyNeedsBothArrays, at: span) }
        let isFANN = path.hasSuffix(".data")
        let dialect = isFANN ? CSVDialect() : try csvDialect(invocation)
        var target = CSVReader.TargetColumn.last
        if !isFANN, let option = invocation.option("target") {
            switch option.value.kind {
            case .name(let column), .string(let column): target = .named(column)
            case .number where !dialect.hasHeader:
                target = .position(try invocation.session.wholeNumber(option.value, what: "target", minimum: 1, maximum: 1_000_000))
            default:
                let what = dialect.hasHeader ? "a column name for target" : "a column position for target"
                throw Diagnostic(.expectedValue(what: what, got: "an expression"), at: option.value.span)
            }
        }
        let targetIsClass = isFANN ? false : try invocation.session.boolean(invocation.option("classes"), default: false)
        let bytes = try FileAccess.readFile(path, span: span)
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let result = isFANN
            ? FANNReader.read(bytes: bytes, name: name)
            : CSVReader.read(bytes: bytes, target: target, dialect: dialect, targetIsClass: targetIsClass, name: name)
        switch result {
        case .success(let data): return data
        case .failure(let error): throw Diagnostic(.dataFile(path: path, error: error), at: span)
        }
    }

    /// The separator of `sep=` and the header of `header=`, as a CSV reader takes them.
    static func csvDialect(_ invocation: Invocation) throws(Diagnostic) -> CSVDialect {
        var dialect = CSVDialect(hasHeader: try invocation.boolean("header"))
        guard let option = invocation.option("sep") else { return dialect }
        let text: String
        switch option.value.kind {
        case .name("tab"): text = "\t"
        case .name("comma"): text = ","
        case .name("semicolon"): text = ";"
        case .string(let given): text = given
        default: text = ""
        }
        guard text.utf8.count == 1, let byte = text.utf8.first, CSVDialect.canSeparate(byte) else {
            throw Diagnostic(.expectedValue(what: "one character for sep, such as \";\", \"|\" or tab", got: option.value.kind == .string(text) ? "\"\(text)\"" : "an expression"),
                             at: option.value.span)
        }
        dialect.separator = byte
        return dialect
    }

    /// Whole-number labels 0…K−1 in one column as classes "0"…"K−1": one 0/1 column for two
    /// classes (unless the network has several outputs), otherwise one-hot columns, K being at
    /// least the network's outputs so that a file missing the last class still fits.
    static func classLabels(_ labels: Matrix, _ invocation: Invocation, span: SourceSpan) throws(Diagnostic) -> (Matrix, [String]) {
        guard labels.columns == 1 else {
            throw Diagnostic(.classLabels("classes=true needs y as one column of labels, not \(labels.rows)×\(labels.columns)"), at: span)
        }
        for (row, value) in labels.storage.enumerated() where value < 0 || value != value.rounded() || value >= 100_000 {
            throw Diagnostic(.classLabels("row \(row + 1) of y is \(invocation.formatter.format(value)), not a class label (a whole number from 0)"), at: span)
        }
        let outputs = invocation.workspace.network.flatMap { $0.layers.isEmpty ? nil : $0.outputCount }
        let count = max(Int(labels.storage.max() ?? 0) + 1, 2, outputs ?? 0)
        let names = (0..<count).map(String.init)
        if count == 2 && (outputs ?? 1) == 1 { return (labels, names) }
        var oneHot = Matrix(rows: labels.rows, columns: count)
        for row in 0..<labels.rows { oneHot.storage[row * count + Int(labels.storage[row])] = 1 }
        return (oneHot, names)
    }

    /// An option's matrix: a value, a `.npy` file, or a member of a `.npz` archive
    /// (`"d.npz:x"`), named by a string.
    private static func matrixOrArrayFile(_ option: CommandOption, what: String, _ invocation: Invocation) throws(Diagnostic) -> Matrix {
        guard case .string(let name) = option.value.kind else {
            return try invocation.session.sampleMatrix(try invocation.evaluate(option.value), what: what, span: option.value.span)
        }
        let (path, member) = NumpyArchive.splitMemberName(name)
        let bytes = try FileAccess.readFile(path, span: option.value.span)
        let decoded = member.map { NumpyArchive.decode(bytes, member: $0) } ?? NumpyFormat.decode(bytes)
        switch decoded {
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

    /// Targets typed by hand are classes when they look like classes: a single 0/1 column, or
    /// one-hot rows. Then accuracy and `confusion` apply.
    static func inferredClassNames(_ targets: Matrix) -> [String] {
        guard targets.storage.allSatisfy({ $0 == 0 || $0 == 1 }) else { return [] }
        if targets.columns == 1 { return ["0", "1"] }
        for row in 0..<targets.rows where targets.row(row).reduce(0, +) != 1 { return [] }
        return (0..<targets.columns).map(String.init)
    }
}

/// split [test=F] [seed=N]: a seeded random share of the samples held out for testing.
struct SplitCommand: Command {
    let spec = CommandSpec(
        "split", .data, "hold out a random share of the samples for testing",
        options: [
            OptionSpec("test", "F", "the share held out", .number(.openUnit), default: .value("0.2")),
            OptionSpec("seed", "N", "the shuffle's seed", .wholeNumber(0...(1 << 53)), default: .described("the session's generator")),
        ],
        details: ["Training, loss and grad then use the training part; 'evaluate' uses the test part."],
        examples: ["split test=0.2 seed=1"])

    func run(_ invocation: Invocation) throws(Diagnostic) {
        guard let dataSet = invocation.workspace.dataSet else { throw Diagnostic(.noData(command: "split"), at: invocation.span) }
        let fraction = try invocation.number("test")
        let seed = try invocation.givenWholeNumber("seed", describedAs: "the seed")
        // A seed of its own leaves the session's generator where it was.
        var generator = seed.map { SeededGenerator(seed: UInt64($0)) } ?? invocation.session.generator
        let count = dataSet.sampleCount
        let testCount = Int((Double(count) * fraction).rounded())
        guard testCount >= 1, testCount < count else {
            throw Diagnostic(.settingOutOfRange(setting: "test", range: "a share leaving at least one sample on each side of \(count)",
                                               got: invocation.formatter.format(fraction)), at: invocation.span)
        }
        var order = Array(0..<count)
        order.shuffle(using: &generator)
        if seed == nil { invocation.session.generator = generator }
        invocation.workspace.split = DataSplit(training: Array(order[testCount...]).sorted(), test: Array(order[..<testCount]).sorted())
        invocation.write("split: \(count - testCount) training, \(testCount) test samples")
    }
}

/// normalize [standard|minmax|none]: statistics from the training part, kept with the model.
struct NormalizeCommand: Command {
    let spec = CommandSpec(
        "normalize", .data, "scale the inputs with statistics of the training part",
        positional: [ArgumentSpec("METHOD", "standard, minmax or none", .word(.normalization), optional: true)],
        details: [
            "standard: (x − mean) / standard deviation; minmax: (x − min) / (max − min); none: stop scaling.",
            "The statistics are fitted now, to the training part (after 'split'), kept with the model",
            "and applied to every input after, 'predict' and 'forward' included.",
        ],
        examples: ["normalize standard", "normalize minmax"])

    func run(_ invocation: Invocation) throws(Diagnostic) {
        let word = invocation.word(0) ?? "standard"
        guard word != "none" else {
            invocation.workspace.normalization = nil
            return
        }
        guard let method = Normalization.Method(rawValue: word) else {
            // The parser checked the word against the same list.
            throw Diagnostic(.unknownWord(kind: "normalization", name: word, suggestion: nil), at: invocation.span)
        }
        guard let training = invocation.workspace.unnormalizedTrainingSet else {
            throw Diagnostic(.noData(command: "normalize"), at: invocation.span)
        }
        invocation.workspace.normalization = Normalization(method: method, fittedTo: training.inputs)
    }
}

/// show data: the shape, the classes, the split and the first rows.
struct ShowCommand: Command {
    let spec = CommandSpec(
        "show", .inspection, "describe the data: shape, classes, split and first rows",
        positional: [ArgumentSpec("WHAT", "what to show", .word(.showTopic))],
        examples: ["show data"])

    func run(_ invocation: Invocation) throws(Diagnostic) {
        let workspace = invocation.workspace
        guard let dataSet = workspace.dataSet else { throw Diagnostic(.noData(command: "show"), at: invocation.span) }
        let targets = dataSet.targets.columns == 1 ? "1 target" : "\(dataSet.targets.columns) targets"
        invocation.write("data: \(dataSet.name.isEmpty ? "unnamed" : dataSet.name), \(dataSet.sampleCount) samples, \(dataSet.inputs.columns) inputs, \(targets)")
        if dataSet.isClassification {
            invocation.write("classes: " + zip(dataSet.classNames, Self.classCounts(dataSet)).map { "\($0) (\($1))" }.joined(separator: ", "))
        } else {
            invocation.write("targets: numbers (regression)")
        }
        if let split = workspace.split { invocation.write("split: \(split.training.count) training, \(split.test.count) test") }
        if let normalization = workspace.normalization { invocation.write("normalize: \(normalization.method.rawValue), fitted to the training part") }
        // Wide data (digits' 64 pixels) shows its first columns and an ellipsis.
        let shownColumns = dataSet.inputs.columns > 8 ? 6 : dataSet.inputs.columns
        let ellipsis = shownColumns < dataSet.inputs.columns ? ["…"] : []
        var table = TextTable(Array(repeating: .right, count: shownColumns + ellipsis.count) + [.left])
        table.add(Array(dataSet.featureNames.prefix(shownColumns)) + ellipsis + [dataSet.isClassification ? "class" : "target"])
        let shown = min(5, dataSet.sampleCount)
        let short = ValueFormatter(precision: min(invocation.settings.precision, 4))
        let classes = dataSet.isClassification ? Metrics.trueClasses(targets: dataSet.targets) : []
        for row in 0..<shown {
            let target: String
            if dataSet.isClassification {
                target = dataSet.classNames[classes[row]]
            } else {
                target = short.format(dataSet.targets.row(row).count == 1 ? .scalar(dataSet.targets[row, 0]) : .vector(dataSet.targets.row(row)))
            }
            table.add(dataSet.inputs.row(row).prefix(shownColumns).map(short.format) + ellipsis + [target])
        }
        invocation.write(table)
        if dataSet.sampleCount > shown { invocation.write("… \(dataSet.sampleCount - shown) more") }
    }

    /// How many samples of each class the data holds, in the order of its class names.
    static func classCounts(_ data: DataSet) -> [Int] {
        var counts = [Int](repeating: 0, count: data.classNames.count)
        for index in Metrics.trueClasses(targets: data.targets) where index < counts.count { counts[index] += 1 }
        return counts
    }
}
