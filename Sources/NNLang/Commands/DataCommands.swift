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
            OptionSpec("features", "[EXPR, …]", "the network's inputs as expressions of the raw inputs x1…xm: [x1, x2, x1 * x2, x1^2, sin(x1)]",
                       .expression(), default: .described("the raw inputs")),
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
            OptionSpec("classes", "K", "blobs and random: how many classes; x= and y=, CSV: true if the target holds class labels",
                       .wholeNumberOrWord(2...10_000, ["true", "false"]),
                       default: .described("3 for blobs; false elsewhere"), appliesWhen: DataCommand.takenBySource("classes")),
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
            "Classes meet the output layer: a data set's classes, a CSV text column, and labels marked classes=true",
            "(whole numbers, one column or a vector, as many classes as distinct labels, sorted) are encoded to fit",
            "the network: one sigmoid unit sees 0/1 targets, K softmax units see one-hot rows. So moons trains with",
            "layer 1 sigmoid or layer 2 softmax, iris with layer 3 softmax. Targets typed without classes=true are",
            "used as given.",
        ],
        examples: [
            "data xor", "data circles n=300 noise=0.2 seed=1", "data iris",
            "data \"flowers.csv\" target=species", "data \"measures.csv\" sep=\";\" header=false target=1",
            "data x=\"x.npy\" y=\"y.npy\"", "data x=\"mnist.npz:x_train\" y=\"mnist.npz:y_train\" classes=true",
            "data x=[[0, 0], [0, 1], [1, 0], [1, 1]] y=[[0], [1], [1], [0]]",
            "data x=[[0.1], [0.5], [0.9]] y=[0, 2, 1] classes=true",
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
        let givenAsClasses = try Self.givenAsClasses(invocation)
        let inputs = try Self.matrixOrArrayFile(xOption, what: "inputs", invocation)
        var targets = try Self.matrixOrArrayFile(yOption, what: "targets", invocation)
        // Labels are one per sample, so a vector of them is a column.
        if givenAsClasses, targets.rows == 1, inputs.rows > 1 { targets = targets.transposed }
        guard inputs.rows == targets.rows else {
            throw Diagnostic(.sampleCountMismatch(xRows: inputs.rows, yRows: targets.rows), at: yOption.value.span)
        }
        try Self.checkNotEmpty(inputs: inputs, targets: targets, span: inputs.rows == 0 || inputs.columns == 0 ? xOption.value.span : yOption.value.span)
        if let network = invocation.workspace.network, invocation.statement.option("features") == nil {
            guard inputs.columns == network.inputCount else {
                throw Diagnostic(.inputWidthMismatch(what: "x", columns: inputs.columns, inputs: network.inputCount), at: xOption.value.span)
            }
        }
        let fromFiles = [xOption, yOption].allSatisfy { if case .string = $0.value.kind { true } else { false } }
        let name = fromFiles ? "x and y from NumPy files" : "x and y"
        let data: DataSet
        if givenAsClasses {
            data = try Self.labelledDataSet(inputs: inputs, labels: targets, name: name, limit: invocation.settings.numberLimit,
                                            span: yOption.value.span)
        } else {
            // Typed targets that look like classes get accuracy and confusion, and keep their shape.
            data = DataSet(inputs: inputs, targets: targets, classNames: Self.inferredClassNames(targets), name: name, hasClassLabels: false)
        }
        if let network = invocation.workspace.network, !network.layers.isEmpty {
            try Workspace.checkFit(data, to: network, span: yOption.value.span)
        }
        try Self.install(data, invocation, span: invocation.span)
    }

    /// Whether `classes=true` marks the targets as class labels (x= and y=, CSV files); a
    /// data set's classes= is its number of classes, read by its generator.
    private static func givenAsClasses(_ invocation: Invocation) throws(Diagnostic) -> Bool {
        if let source = invocation.argument(0), source.bareName != nil { return false }
        return try invocation.session.boolean(invocation.option("classes"), default: false)
    }

    /// Inputs with one whole-number label per sample, as classes: as many as there are distinct
    /// labels, in the order of their values, the targets one-hot.
    private static func labelledDataSet(inputs: Matrix, labels: Matrix, name: String, limit: Int, span: SourceSpan) throws(Diagnostic) -> DataSet {
        guard labels.columns == 1 else {
            throw Diagnostic(.expectedValue(what: "one class label per sample for classes=true (a vector or one column)",
                                            got: "\(labels.rows)×\(labels.columns) targets"), at: span)
        }
        if let bad = labels.storage.first(where: { $0 != $0.rounded() }) {
            throw Diagnostic(.expectedValue(what: "whole numbers as class labels for classes=true", got: ValueFormatter(precision: 10).format(bad)), at: span)
        }
        let (classNames, indices) = ClassEncoding.classes(ofNumericLabels: labels.storage)
        let size = labels.rows.multipliedReportingOverflow(by: classNames.count)
        guard !size.overflow, size.partialValue <= limit else {
            throw Diagnostic(.tooManyElements(count: size.overflow ? Int.max : size.partialValue, limit: limit), at: span)
        }
        return DataSet(inputs: inputs, targets: ClassEncoding.oneHot(indices, classCount: classNames.count), classNames: classNames, name: name)
    }

    /// Makes `data` the workspace's data, once it fits a network that has layers (its class
    /// labels encoded for the outputs).
    private static func install(_ raw: DataSet, _ invocation: Invocation, span: SourceSpan) throws(Diagnostic) {
        try Self.checkNotEmpty(inputs: raw.inputs, targets: raw.targets, span: span)
        var data = raw
        var features: Features?
        if let option = invocation.option("features") {
            // The network sees the features; the raw inputs stay for pictures of the raw plane.
            var chosen = try invocation.session.features(from: option.value, rawInputCount: raw.inputs.columns, rawNames: raw.featureNames)
            chosen.rawInputs = raw.inputs
            data.inputs = try invocation.session.featureMatrix(chosen, raw: raw.inputs, span: option.value.span)
            data.featureNames = chosen.texts
            features = chosen
        }
        if let network = invocation.workspace.network, !network.layers.isEmpty {
            try Workspace.checkFit(data, to: network, span: span)
        }
        invocation.workspace.install(data)
        invocation.workspace.features = features
    }

    /// Every source ends here: training, losses and statistics divide by the sample count,
    /// so data without samples, inputs or targets is refused (the CSV reader's "no data rows").
    static func checkNotEmpty(inputs: Matrix, targets: Matrix, span: SourceSpan) throws(Diagnostic) {
        let detail: String? =
            if inputs.rows == 0 { "x has 0 rows" }
            else if inputs.columns == 0 { "x has 0 columns" }
            else if targets.columns == 0 { "y has 0 columns" }
            else { nil }
        if let detail { throw Diagnostic(.emptyData(detail: detail), at: span) }
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
        if let option = invocation.option("classes"), let word = option.value.bareName, ["true", "false"].contains(word) {
            throw Diagnostic(.expectedValue(what: "a number of classes for \(name)", got: "'\(word)'"), at: option.value.span)
        }
        let classes = try invocation.givenWholeNumber("classes")
        let inputs = try invocation.givenWholeNumber("inputs")
        let elements = samples.multipliedReportingOverflow(by: (inputs ?? 2) + (classes ?? 1))
        try invocation.settings.checkNumbers(elements.overflow ? nil : elements.partialValue,
                                             for: "a data set of \(samples) samples", at: span)
        let poll = StopPoll(invocation.session.interruptRequested)
        let set: DataSet
        switch name {
        case "circles": set = DataGenerator.circles(samples: samples, noise: noise, seed: seed, poll: poll)
        case "moons": set = DataGenerator.moons(samples: samples, noise: noise, seed: seed, poll: poll)
        case "spirals": set = DataGenerator.spirals(samples: samples, noise: noise, seed: seed, poll: poll)
        case "gaussians": set = DataGenerator.gaussians(samples: samples, noise: noise, seed: seed, poll: poll)
        case "blobs": set = DataGenerator.blobs(samples: samples, classes: classes ?? 3, inputs: inputs ?? 2, noise: noise, seed: seed, poll: poll)
        case "sine": set = DataGenerator.sine(samples: samples, noise: noise, seed: seed, poll: poll)
        case "linear": set = DataGenerator.linear(samples: samples, inputs: inputs ?? 1, noise: noise, seed: seed, poll: poll)
        case "random":
            guard let inputs, let classes else {
                throw Diagnostic(.missingOption(command: "data random", option: inputs == nil ? "inputs" : "classes"), at: span)
            }
            set = DataGenerator.random(samples: samples, inputs: inputs, classes: classes, seed: seed, poll: poll)
        default:
            // The parser checked the name against the same list.
            throw Diagnostic(.unknownWord(kind: "data set", name: name, suggestion: nil), at: span)
        }
        // Ctrl-C during a big set: nothing is kept, the data before stays.
        if poll.isStopped { throw Diagnostic(.interruptedWhile("making the data set: the data is as it was"), at: span) }
        return set
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
        let targetIsClass = isFANN ? false : try givenAsClasses(invocation)
        let bytes = try FileAccess.readFile(path, span: span)
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let poll = StopPoll(every: 4096, invocation.session.interruptRequested)
        let result = isFANN
            ? FANNReader.read(bytes: bytes, name: name, poll: poll)
            : CSVReader.read(bytes: bytes, target: target, dialect: dialect, targetIsClass: targetIsClass, name: name,
                             maxTargetNumbers: invocation.settings.numberLimit, poll: poll)
        if poll.isStopped { throw Diagnostic(.interruptedWhile("reading '\(path)': the data is as it was"), at: span) }
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

    /// An option's matrix: a value, a `.npy` file, or a member of a `.npz` archive
    /// (`"d.npz:x"`), named by a string.
    private static func matrixOrArrayFile(_ option: CommandOption, what: String, _ invocation: Invocation) throws(Diagnostic) -> Matrix {
        guard case .string(let name) = option.value.kind else {
            return try invocation.session.sampleMatrix(try invocation.evaluate(option.value), what: what, span: option.value.span)
        }
        let (path, member) = NumpyArchive.splitMemberName(name)
        let decoded: Result<Matrix, DataFileError>
        if let member {
            decoded = NumpyArchive.decode(try FileAccess.readFile(path, span: option.value.span), member: member)
        } else {
            switch NumpyFormat.read(path: path, memoryLimit: invocation.settings.memoryLimit) {
            case .success(let matrix): decoded = .success(matrix)
            case .failure(.data(let error)): decoded = .failure(error)
            case .failure(.file(let error)): throw Diagnostic(.file(error), at: option.value.span)
            case .failure(.tooLarge(let rows, let columns, let bytes)):
                throw Diagnostic(.memoryLimit(what: "the \(rows)×\(columns) array in '\(path)'", bytes: bytes, limit: invocation.settings.memoryLimit),
                                 at: option.value.span)
            }
        }
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

/// split [test=F] [seed=N] [stratify=B]: a seeded random share of the samples held out for
/// testing, each class's share kept for class data.
struct SplitCommand: Command {
    let spec = CommandSpec(
        "split", .data, "hold out a random share of the samples for testing",
        options: [
            OptionSpec("test", "F", "the share held out", .number(.openUnit), default: .value("0.2")),
            OptionSpec("seed", "N", "the shuffle's seed", .wholeNumber(0...(1 << 53)), default: .described("the session's generator")),
            OptionSpec("stratify", "B", "keep each class's share in both parts", .boolean, default: .value("true"),
                       appliesWhen: Applicability("class data") { invocation throws(Diagnostic) in invocation.workspace.dataSet?.isClassification != false }),
        ],
        details: [
            "Training, loss and grad then use the training part; 'evaluate' uses the test part.",
            "Class data is split stratified unless stratify=false: each class keeps its share in the test",
            "part (iris at test=0.2: 10 of each species), as scikit-learn's train_test_split(stratify=y).",
        ],
        examples: ["split test=0.2 seed=1", "split test=0.25 stratify=false"])

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
        let test: [Int]
        if dataSet.isClassification, try invocation.boolean("stratify") {
            test = Stratification.testPart(order: order, classes: Metrics.trueClasses(targets: dataSet.targets), testCount: testCount)
        } else {
            test = Array(order[..<testCount]).sorted()
        }
        let held = Set(test)
        invocation.workspace.split = DataSplit(training: (0..<count).filter { !held.contains($0) }, test: test)
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
            "A constant input gets scale 1; an input whose range or spread overflows is refused.",
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
        let normalization = Normalization(method: method, fittedTo: training.inputs)
        if let feature = normalization.firstOverflowingFeature {
            throw Diagnostic(.normalizationOverflow(method: word, input: feature + 1), at: invocation.span)
        }
        invocation.workspace.normalization = normalization
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
            if let outputs = workspace.network.flatMap({ $0.layers.isEmpty ? nil : $0.outputCount }), outputs != dataSet.targets.columns,
               dataSet.encodingClasses(forOutputs: outputs) != nil {
                invocation.write(outputs == 1
                    ? "the network's output sees a 0/1 target: 1 is \(dataSet.classNames[1])"
                    : "the network's \(outputs) outputs see one-hot targets, one column per class")
            }
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
