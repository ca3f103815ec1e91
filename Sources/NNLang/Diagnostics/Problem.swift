/// The catalogue of everything nn can say is wrong with a program, and its wording.
///
/// Messages are lowercase with no final period; a case's `hint` is printed after the caret.
/// Shapes are worded by `Value.shapeDescription` ("a 2×3 matrix"), so every message that
/// states two shapes states them alike.
public enum Problem: Equatable, Sendable {
    // MARK: Lexical
    case unexpectedCharacter(Unicode.Scalar)
    case invalidText(inside: String)
    case malformedNumber(String)
    case numberOutOfRange(String)
    case unterminatedString
    case unknownEscape(Unicode.Scalar)

    // MARK: Syntax
    case expected(String, found: String)
    case unclosed(closer: String, opener: String, openedAt: SourceLocation, found: String)
    case unknownCommand(String, suggestion: String?)
    case unknownOption(String, command: String, suggestion: String?, valid: [String])
    case optionTakesNoValue(String)
    case duplicateOption(String)
    case missingArgument(command: String, what: String)
    case extraArgument(command: String)
    case unknownWord(kind: String, name: String, suggestion: String?)
    case nestingTooDeep(limit: Int)
    case duplicateParameter(String)
    case expressionTooLong(limit: Int)
    case notAssignable
    case assignmentToReservedName(String)
    case expectedParameter(command: String)
    /// Another language's spelling (`W1.T`, `**`, `quit()`): what it is, and what nn writes.
    case foreignSpelling(what: String, nnWrites: String)
    /// A printed summary pasted back in: its `…` stands for numbers that were left out.
    case summarizedValue

    // MARK: Network and data
    case noNetwork(command: String)
    case noLayers(command: String)
    case noData(command: String)
    case inputAfterLayers
    case layerCountOutOfRange(name: String, layerCount: Int)
    case weightNumberOutOfRange(number: Int, weightCount: Int)
    case noBatchNorm(name: String, layer: Int)
    case explainSampleBySample(topic: String)
    case batchNormNeedsTwoSamples(command: String, detail: String)
    case indexOutOfRange(name: String, index: String, shape: String)
    case wrongIndexCount(name: String, expected: Int, got: Int)
    /// `a:b` outside `NAME[…]`.
    case rangeOutsideIndex
    case inputWidthMismatch(what: String, columns: Int, inputs: Int)
    case targetWidthMismatch(columns: Int, outputs: Int)
    case classCountMismatch(classes: Int, outputs: Int)
    case sampleCountMismatch(xRows: Int, yRows: Int)
    /// Data with no samples, no inputs or no targets: `detail` says which ("x has 0 rows").
    case emptyData(detail: String)
    case assignmentShapeMismatch(name: String, expected: String, got: String)
    /// The matrix would fit transposed: the other convention's shape.
    case assignmentNeedsTranspose(name: String, expected: String, got: String, convention: WeightConvention)
    case learningRateNotPositive(String)
    case epochsNegative(String)
    case diverged(epoch: Int)
    case parameterOutsideNetwork(String)
    case optionNotApplicable(option: String, appliesTo: String)
    case layerTooLarge(weights: Int, limit: Int)
    case stepNotFinite
    case missingOption(command: String, option: String)
    case nothingTrained
    case noDescentPath
    /// `export model`/`export params` of something the format cannot hold: `reason` says what.
    case cannotExport(format: String, reason: String)
    /// A name in `features=[…]` other than x1…xm, e and pi.
    case featureName(name: String, rawInputCount: Int)
    /// Xtest, Ytest, test_accuracy before a split.
    case noTestPart(name: String)
    /// A variable named like a value of the session (X, accuracy, history, …).
    case assignmentToSessionValue(String)
    case nonFiniteInArray(path: String, row: Int, column: Int)
    case lineTooLong(line: Int, limit: Int)
    /// A program over `Parser.maximumSourceSize`, refused before it is lexed.
    case sourceTooLarge(bytes: Int, limit: Int)
    case recursionTooDeep(function: String, limit: Int)
    case interrupted(iteration: Int)
    /// A long statement stopped by an interrupt after `done` of its parts: "12 parameters checked".
    case interruptedPart(done: Int, of: String)
    /// A long statement stopped by an interrupt before it had anything to keep: "making the data set".
    case interruptedWhile(String)
    case expectationFailed(claim: String, actual: String)
    case gradientCheckFailed(parameter: String, error: String)
    case nothingToUndo
    case file(FileError)
    case dataFile(path: String, error: DataFileError)
    case npyNeedsBothArrays
    case dataSetOptions(name: String, valid: [String])
    case tooManyElements(count: Int, limit: Int)
    /// An allocation over `memory_limit`: `what` needed `bytes`.
    case memoryLimit(what: String, bytes: Int, limit: Int)
    /// A model whose file would be larger than `load` reads.
    case modelFileTooLarge(bytes: Int, limit: Int)
    case notClassification(command: String)
    case planeNeedsTwoInputs(command: String, inputs: Int)
    case plotTakesOneVariable(names: [String])

    // MARK: Values
    case expectedValue(what: String, got: String)
    case shapeMismatch(operation: String, left: String, right: String)
    case productShapeMismatch(left: String, right: String)
    case divisionByZero
    case domainError(function: String, value: String, reason: String)
    case overflow(operation: String)
    case normalizationOverflow(method: String, input: Int)
    case rangeTooWide(from: String, to: String, limit: String)
    case raggedMatrix(row: Int, count: Int, expected: Int)
    case tooManyDimensions
    case emptyList
    case softmaxOfColumn(rows: Int)
    case unknownName(String, suggestion: String?)
    case unknownFunction(String, suggestion: String?)
    case wrongArgumentCount(function: String, expected: String, got: Int)
    case settingOutOfRange(setting: String, range: String, got: String)

    // MARK: Derivatives
    case gradientOfNonScalar(got: String)
    case expectedVariable(got: String)
    case nestedDerivative(function: String)

    public var message: String {
        switch self {
        case .invalidText(let container):
            return "bytes that are not UTF-8 text in a \(container): nn reads scripts as UTF-8"
        case .unexpectedCharacter(let character):
            return "unexpected character \(Problem.characterName(character))"
        case .malformedNumber(let text):
            return "malformed number '\(text)'"
        case .numberOutOfRange(let text):
            return "number '\(text)' is too large"
        case .unterminatedString:
            return "unterminated string"
        case .unknownEscape(let character):
            return "unknown escape '\\\(Character(character))' in string"

        case .expected(let what, let found):
            return "expected \(what), found \(found)"
        case .unclosed(let closer, let opener, let openedAt, let found):
            return "expected '\(closer)' to close '\(opener)' at \(openedAt), found \(found)"
        case .unknownCommand(let name, _):
            return "unknown command '\(name)'"
        case .unknownOption(let name, let command, _, _):
            return "unknown option '\(name)' for '\(command)'"
        case .optionTakesNoValue(let name):
            return "'\(name)' is not an option here"
        case .duplicateOption(let name):
            return "option '\(name)' given twice"
        case .missingArgument(let command, let what):
            return "'\(command)' needs \(what)"
        case .extraArgument(let command):
            return "too many arguments for '\(command)'"
        case .unknownWord(let kind, let name, _):
            return "unknown \(kind) '\(name)'"
        case .expressionTooLong(let limit):
            return "expression too long: more than \(limit) operators"
        case .duplicateParameter(let name):
            return "parameter '\(name)' given twice"
        case .nestingTooDeep(let limit):
            return "nested too deeply: more than \(limit) levels of brackets, blocks or operators"
        case .notAssignable:
            return "cannot assign to this expression"
        case .assignmentToReservedName(let name):
            return "cannot assign to '\(name)': it is a command or function name"
        case .expectedParameter(let command):
            return "'\(command)' expects a parameter name like w5, W2, b1 or W2[1,2]"
        case .foreignSpelling(let what, _):
            return "nn has no \(what)"
        case .summarizedValue:
            return "'…' stands for numbers a printed summary left out; the value cannot be read back from it"

        case .noNetwork(let command):
            return "'\(command)' needs a network: start with 'input N'"
        case .noLayers(let command):
            return "'\(command)' needs at least one layer: add one with 'layer N ACTIVATION'"
        case .noData(let command):
            return "'\(command)' needs data: give it with 'data x=MATRIX y=MATRIX'"
        case .inputAfterLayers:
            return "the network already has layers; 'clear' it before choosing a new input size"
        case .layerCountOutOfRange(let name, let layerCount):
            return layerCount == 1
                ? "no parameter '\(name)': the network has 1 layer"
                : "no parameter '\(name)': the network has layers 1 to \(layerCount)"
        case .weightNumberOutOfRange(let number, let weightCount):
            return "no weight w\(number): this network has weights w1 to w\(weightCount)"
        case .noBatchNorm(let name, let layer):
            return "no parameter '\(name)': layer \(layer) has no batch normalization (give it with 'layer N ACTIVATION batchnorm=true')"
        case .explainSampleBySample(let topic):
            return "'explain \(topic)' writes the gradient sample by sample, which batch normalization's batch statistics do not allow: 'grad' gives it, 'explain forward' the normalization"
        case .batchNormNeedsTwoSamples(let command, let detail):
            return "'\(command)' with batch normalization needs at least 2 samples in every batch (\(detail)), as PyTorch's BatchNorm1d in training"
        case .indexOutOfRange(let name, let index, let shape):
            return "index \(index) is out of range for \(name), \(shape)"
        case .rangeOutsideIndex:
            return "a range a:b selects part of a value, inside its brackets: X[2:5, :], v[1:3]"
        case .wrongIndexCount(let name, let expected, let got):
            return "\(name) takes \(expected) \(expected == 1 ? "index" : "indices"), got \(got)"
        case .inputWidthMismatch(let what, let columns, let inputs):
            return "\(what) has \(columns) \(columns == 1 ? "column" : "columns") but the network takes \(inputs) \(inputs == 1 ? "input" : "inputs")"
        case .targetWidthMismatch(let columns, let outputs):
            return "y has \(columns) \(columns == 1 ? "column" : "columns") but the network has \(outputs) \(outputs == 1 ? "output" : "outputs")"
        case .classCountMismatch(let classes, let outputs):
            let fits = switch classes {
            case 1: "layer 1 sigmoid"
            case 2: "layer 1 sigmoid (0/1 targets) or layer 2 softmax (one-hot targets)"
            default: "layer \(classes) softmax (one-hot targets)"
            }
            return "the data has \(classes) \(classes == 1 ? "class" : "classes") but the network has \(outputs) \(outputs == 1 ? "output" : "outputs"): use \(fits)"
        case .sampleCountMismatch(let xRows, let yRows):
            return "x has \(xRows) \(xRows == 1 ? "row" : "rows") but y has \(yRows)"
        case .emptyData(let detail):
            return "the data is empty: \(detail); nn needs at least one sample with at least one input and one target"
        case .assignmentShapeMismatch(let name, let expected, let got):
            return "cannot assign \(got) to \(name), which is \(expected)"
        case .assignmentNeedsTranspose(let name, let expected, let got, let convention):
            let other: WeightConvention = convention == .rows ? .columns : .rows
            return "cannot assign \(got) to \(name), which is \(expected): did you mean transpose(…)? "
                + "(set convention \(other.rawValue) takes W as \(other.shapeWords))"
        case .learningRateNotPositive(let value):
            return "the learning rate must be greater than 0, got \(value)"
        case .epochsNegative(let value):
            return "epochs must be 0 or more, got \(value)"
        case .diverged(let epoch):
            return "training diverged at epoch \(epoch): the loss or a parameter became NaN or infinite; the parameters from before that epoch are kept"
        case .parameterOutsideNetwork(let name):
            return "'\(name)' names a parameter, but there is no network yet"
        case .optionNotApplicable(let option, let appliesTo):
            return "option '\(option)' applies to \(appliesTo) only"
        case .layerTooLarge(let weights, let limit):
            return "a layer of \(weights) weights is too large (the limit is \(limit))"
        case .stepNotFinite:
            return "this step would make the loss or a parameter NaN or infinite; the parameters are unchanged"
        case .missingOption(let command, let option):
            return "'\(command)' needs \(option)=…"
        case .file(let error):
            return error.message
        case .dataFile(let path, let error):
            return "in '\(path)': \(error.message)"
        case .npyNeedsBothArrays:
            return "a .npy file holds one array: give the inputs and the targets as data x=\"x.npy\" y=\"y.npy\" (or x=\"d.npz:x\" y=\"d.npz:y\")"
        case .dataSetOptions(let name, let valid):
            return valid.isEmpty ? "'\(name)' takes no options" : "'\(name)' takes only \(valid.map { $0 + "=" }.joined(separator: ", "))"
        case .tooManyElements(let count, let limit):
            return "\(count) numbers are too many (the limit is \(limit))"
        case .modelFileTooLarge(let bytes, let limit):
            return "the model file would be \(MemoryBudget.describe(bytes)) (\(bytes) bytes), more than load reads (\(limit) bytes): nothing was written"
        case .memoryLimit(let what, let bytes, let limit):
            return "\(what) would need \(MemoryBudget.describe(bytes)), more than memory_limit (\(MemoryBudget.describe(limit))): 'set memory_limit' raises it"
        case .expectationFailed(let claim, let actual):
            return "expectation failed: expected \(claim), got \(actual)"
        case .gradientCheckFailed(let parameter, let error):
            return "gradient check failed: backpropagation and central differences disagree at \(parameter) (relative error \(error))"
        case .nothingToUndo:
            return "nothing to undo: no statement has changed the network yet"
        case .recursionTooDeep(let function, let limit):
            return "calls nested more than \(limit) deep in '\(function)': does it call itself without end?"
        case .interruptedPart(let done, let what):
            return "interrupted after \(done) \(what)"
        case .interruptedWhile(let what):
            return "interrupted while \(what)"
        case .interrupted(let iteration):
            return "interrupted at iteration \(iteration)"
        case .nonFiniteInArray(let path, let row, let column):
            return "in '\(path)': row \(row), column \(column) is NaN or infinite"
        case .lineTooLong(let line, let limit):
            return "line \(line) is longer than \(limit) characters"
        case .sourceTooLarge(let bytes, let limit):
            return "the program is \(bytes) bytes, more than nn runs (\(limit) bytes): put data in a data file"
        case .nothingTrained:
            return "no training history yet: 'train' records one"
        case .noDescentPath:
            return "no path yet: 'descend' keeps one"
        case .cannotExport(let format, let reason):
            return "cannot export as \(format): \(reason)"
        case .featureName(let name, let count):
            let inputs = count == 1 ? "x1" : count == 2 ? "x1 and x2" : "x1 … x\(count)"
            return "a feature reads the data's raw inputs \(inputs) (and e, pi), not '\(name)'"
        case .noTestPart(let name):
            return "'\(name)' is the test part, and there is none: hold one out with 'split test=0.2'"
        case .assignmentToSessionValue(let name):
            let meaning = Session.sessionValues.first { $0.name == name }?.meaning ?? "a value of the session"
            return "'\(name)' is \(meaning), a value of the session that cannot be assigned: choose another name"
        case .notClassification(let command):
            return "'\(command)' needs classes, and the data's targets are numbers"
        case .planeNeedsTwoInputs(let command, let inputs):
            return "'\(command)' draws the plane of two inputs, and the data has \(inputs) \(inputs == 1 ? "input" : "inputs")"
        case .plotTakesOneVariable(let names):
            return "'plot' draws an expression of one or two variables, and this one has \(names.count) unknown names: \(names.map { "'\($0)'" }.joined(separator: ", "))"

        case .expectedValue(let what, let got):
            return "expected \(what), got \(got)"
        case .shapeMismatch(let operation, let left, let right):
            return "cannot \(operation) \(left) and \(right)"
        case .productShapeMismatch(let left, let right):
            return "cannot multiply \(left) by \(right): inner sizes differ"
        case .divisionByZero:
            return "division by zero"
        case .domainError(let function, let value, let reason):
            return "\(function) of \(value): \(reason)"
        case .overflow(let operation):
            return "\(operation) overflowed to infinity"
        case .rangeTooWide(let from, let to, let limit):
            return "the range from=\(from) to=\(to) is too wide to draw: from and to must lie between -\(limit) and \(limit)"
        case .normalizationOverflow(let method, let input):
            return "cannot normalize \(method): input \(input) has values so large that its \(method == "minmax" ? "range (max − min)" : "mean or spread") overflows to infinity; scale the data down first"
        case .raggedMatrix(let row, let count, let expected):
            return "row \(row) has \(count) \(count == 1 ? "element" : "elements") but row 1 has \(expected)"
        case .tooManyDimensions:
            return "nn values are scalars, vectors and matrices: brackets nest at most two deep"
        case .emptyList:
            return "empty brackets: a vector needs at least one element"
        case .softmaxOfColumn(let rows):
            return "softmax of a \(rows)×1 matrix is 1 in every row: softmax normalizes each row, and each row here is one number"
        case .unknownName(let name, _):
            return "unknown name '\(name)'"
        case .unknownFunction(let name, _):
            return "unknown function '\(name)'"
        case .wrongArgumentCount(let function, let expected, let got):
            return "\(function) takes \(expected), got \(got)"
        case .settingOutOfRange(let setting, let range, let got):
            return "\(setting) must be \(range), got \(got)"

        case .gradientOfNonScalar(let got):
            return "grad(EXPR, VAR) needs EXPR to be one number, got \(got)"
        case .expectedVariable(let got):
            return "expected a variable to differentiate with respect to, like x or W1, got \(got)"
        case .nestedDerivative(let function):
            return "'\(function)' inside grad(EXPR, VAR) is not supported: nn does not take derivatives of derivatives"
        }
    }

    public var hint: String? {
        switch self {
        case .unknownCommand(_, let suggestion?), .unknownWord(_, _, let suggestion?),
            .unknownName(_, let suggestion?), .unknownFunction(_, let suggestion?):
            return "did you mean '\(suggestion)'?"
        case .unknownOption(_, _, let suggestion, let valid):
            if let suggestion { return "did you mean '\(suggestion)'?" }
            return valid.isEmpty ? "it takes no options" : "valid options: \(valid.joined(separator: ", "))"
        case .unknownCommand(_, nil):
            return "'help' lists the commands"
        case .gradientOfNonScalar:
            return "sum(…) or mean(…) makes one number of it"
        case .foreignSpelling(_, let nnWrites):
            return "nn writes \(nnWrites)"
        case .summarizedValue:
            return "'set print_limit 0' prints every number, or use the variable itself"
        case .softmaxOfColumn:
            return "for a column vector z, write softmax(transpose(z))"
        default:
            return nil
        }
    }

    /// A character as a message shows it: printable ones quoted, others by code point.
    static func characterName(_ character: Unicode.Scalar) -> String {
        if character.value >= 0x20 && character.value < 0x7F {
            return "'\(Character(character))'"
        }
        if character == "\u{FFFD}" { return "(bytes that are not UTF-8 text)" }
        let hex = String(character.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
