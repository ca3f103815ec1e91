/// Everything that can be wrong with the contents of a data or model file.
///
/// Line numbers are 1-based lines of the file (the CSV header is line 1), so a user can
/// jump to them in an editor. `message` words each case lowercase with no final period,
/// ready for the language layer to wrap in a diagnostic.
public enum DataFileError: Error, Equatable, Sendable {
    /// No bytes, or only blank lines.
    case emptyFile

    // MARK: CSV
    /// A header but no data rows.
    case noRows
    /// A cell that should hold a number does not.
    case notANumber(line: Int, column: String, text: String)
    /// An empty cell, or one that says the value is missing (`NA`, `NaN`): `text` as written.
    case missingValue(line: Int, column: String, text: String)
    /// A row with more or fewer fields than the header.
    case fieldCount(line: Int, found: Int, expected: Int)
    /// In a file without a header, a row with more or fewer fields than the first, on `firstLine`.
    case fieldCountAgainstFirstRow(line: Int, found: Int, expected: Int, firstLine: Int)
    /// A target column given by a position past the last column.
    case targetPosition(Int, columns: Int)
    case missingTargetColumn(String, columns: [String])
    case duplicateColumn(String)
    /// Only the target column: nothing to learn from.
    case noFeatureColumns(target: String)
    /// A class the caller did not list (when the classes are fixed, e.g. by a trained model).
    case unknownClass(line: Int, column: String, name: String, classes: [String])
    /// One-hot class targets larger than the caller allows (`limit` numbers).
    case classTargetsTooLarge(rows: Int, classes: Int, limit: Int)
    /// A quoted field still open at the end of the file; `line` is where it opened.
    case unterminatedQuote(line: Int)
    /// Text between a closing quote and the next comma.
    case textAfterQuote(line: Int)

    // MARK: FANN
    case fannHeader(line: Int, found: String)
    /// A line of inputs or outputs with the wrong number of values; `what` is "inputs" or "outputs".
    case fannValueCount(line: Int, found: Int, expected: Int, what: String)
    /// `position` counts values on the line from 1.
    case fannNotANumber(line: Int, position: Int, text: String)
    case fannPairCount(header: Int, found: Int)

    // MARK: NumPy
    case notNumpy
    case unsupportedNumpyVersion(major: Int, minor: Int)
    case malformedNumpyHeader(String)
    case unsupportedDtype(String)
    /// An integer element past 2^53, which float64 cannot hold exactly; 1-based row and column.
    case numpyIntegerTooLarge(row: Int, column: Int, text: String)
    /// The shape as written in the header, e.g. "(2, 3, 4)".
    case unsupportedShape(String)
    case numpyDataSize(expected: Int, found: Int)

    // MARK: NumPy archives (ZIP)
    case notZip
    case zip64
    /// The archive's structure is broken: `reason` says where.
    case zipDamaged(String)
    /// No member of that name; `arrays` are the names there are, without `.npy`.
    case zipMissingMember(String, arrays: [String])
    /// A member that cannot be read: `reason` says why.
    case zipMember(String, String)
    /// A problem with the `.npy` file inside the member.
    indirect case inArchiveMember(String, DataFileError)

    // MARK: Model files
    /// The first line is not `nn-model <version>`.
    case notAModelFile(found: String)
    case newerModelFormat(found: Int, supported: Int)
    case unexpectedEnd(line: Int, expected: String)
    case modelExpected(line: Int, expected: String, found: String)
    case badNumber(line: Int, text: String)
    case unknownActivation(line: Int, name: String)
    case unknownLoss(line: Int, name: String)
    case unknownNormalization(line: Int, name: String)
    /// A line with the wrong number of values; `what` says what they are.
    case valueCount(line: Int, expected: Int, found: Int, what: String)
    case invalidModel(line: Int, reason: String)
    case trailingText(line: Int, text: String)

    // MARK: ONNX
    /// The protocol-buffer encoding is broken: `reason` says how.
    case protobuf(String)
    /// The model is well encoded but not one nn can take: `reason` says why.
    case onnxModel(String)
    /// A node whose operator nn does not have; `node` describes it by name or position.
    case onnxUnsupportedNode(node: String, operator: String)

    /// The 1-based line the problem is on, where there is one.
    public var line: Int? {
        switch self {
        case .notANumber(let line, _, _), .missingValue(let line, _, _), .fieldCount(let line, _, _),
             .fieldCountAgainstFirstRow(let line, _, _, _),
             .unknownClass(let line, _, _, _), .unterminatedQuote(let line), .textAfterQuote(let line),
             .fannHeader(let line, _), .fannValueCount(let line, _, _, _), .fannNotANumber(let line, _, _),
             .unexpectedEnd(let line, _), .modelExpected(let line, _, _), .badNumber(let line, _),
             .unknownActivation(let line, _), .unknownLoss(let line, _), .unknownNormalization(let line, _),
             .valueCount(let line, _, _, _), .invalidModel(let line, _), .trailingText(let line, _):
            return line
        case .notAModelFile, .newerModelFormat:
            return 1
        case .emptyFile, .noRows, .classTargetsTooLarge, .missingTargetColumn, .targetPosition, .duplicateColumn, .noFeatureColumns, .fannPairCount,
             .notNumpy, .unsupportedNumpyVersion, .malformedNumpyHeader, .unsupportedDtype, .numpyIntegerTooLarge,
             .unsupportedShape, .numpyDataSize, .notZip, .zip64, .zipDamaged, .zipMissingMember, .zipMember, .inArchiveMember,
             .protobuf, .onnxModel, .onnxUnsupportedNode:
            return nil
        }
    }

    /// Why `text` is not a number nn can use: not a number at all, NaN or infinity, or a
    /// number past float64's range (1e999 reads as infinity).
    static func notANumber(_ text: String) -> String {
        guard let value = Double(text), !value.isFinite else { return "'\(text)' is not a number" }
        if value.isNaN || text.lowercased().contains("inf") { return "'\(text)' is not a finite number" }
        return "'\(text)' is out of range (numbers reach ±1.8e308)"
    }

    public var message: String {
        switch self {
        case .emptyFile:
            return "empty file"
        case .noRows:
            return "no data rows after the header"
        case .classTargetsTooLarge(let rows, let classes, let limit):
            return "\(rows) rows of \(classes) classes need \(rows.multipliedReportingOverflow(by: classes).partialValue) target numbers, "
                + "more than the limit of \(limit) (max_elements, memory_limit)"
        case .notANumber(let line, let column, let text):
            return "line \(line), column '\(column)': \(Self.notANumber(text))"
        case .missingValue(let line, let column, let text):
            let shown = text.isEmpty ? "" : " '\(text)'"
            return "line \(line), column '\(column)': missing value\(shown) (nn does not fill in missing values)"
        case .fieldCount(let line, let found, let expected):
            return "line \(line) has \(Self.count(found, "field")) but the header has \(expected)"
        case .fieldCountAgainstFirstRow(let line, let found, let expected, let firstLine):
            return "line \(line) has \(Self.count(found, "field")) but line \(firstLine) has \(expected)"
        case .targetPosition(let position, let columns):
            return "target column \(position) is past the last column (the file has \(Self.count(columns, "column")))"
        case .missingTargetColumn(let name, let columns) where columns.isEmpty:
            return "target '\(name)' names a column, but the file has no header: give the target's position, as in target=3"
        case .missingTargetColumn(let name, let columns):
            return "missing target column '\(name)' (columns: \(columns.joined(separator: ", ")))"
        case .duplicateColumn(let name):
            return "column '\(name)' appears twice in the header"
        case .noFeatureColumns(let target):
            return "no feature columns besides the target '\(target)'"
        case .unknownClass(let line, let column, let name, let classes):
            return "line \(line), column '\(column)': unknown class '\(name)' (classes: \(classes.joined(separator: ", ")))"
        case .unterminatedQuote(let line):
            return "line \(line): quoted field is never closed"
        case .textAfterQuote(let line):
            return "line \(line): text after a closing quote (a quoted field ends at a comma or the end of the line)"

        case .fannHeader(let line, let found):
            return "line \(line): expected a FANN header 'pairs inputs outputs' (three positive whole numbers), found '\(found)'"
        case .fannValueCount(let line, let found, let expected, let what):
            return "line \(line) has \(Self.count(found, "number")) but the header says \(expected) \(what)"
        case .fannNotANumber(let line, let position, let text):
            return "line \(line), number \(position): \(Self.notANumber(text))"
        case .fannPairCount(let header, let found):
            return "FANN header says \(header) pairs but the file has \(found)"

        case .notNumpy:
            return "not a .npy file"
        case .unsupportedNumpyVersion(let major, let minor):
            return "unsupported .npy version \(major).\(minor) (1.0, 2.0 and 3.0 only)"
        case .malformedNumpyHeader(let reason):
            return "malformed .npy header: \(reason)"
        case .unsupportedDtype(let dtype):
            return "unsupported .npy dtype '\(dtype)' (numbers and booleans only: float, int, uint, bool)"
        case .numpyIntegerTooLarge(let row, let column, let text):
            return "row \(row), column \(column): \(text) is too large to hold exactly (whole numbers up to 2^53 only)"
        case .unsupportedShape(let shape):
            return "unsupported .npy shape \(shape) (1 or 2 dimensions only)"
        case .numpyDataSize(let expected, let found):
            return ".npy data is \(Self.count(found, "byte")) but its shape needs \(expected)"

        case .notZip:
            return "not a .npz file (NumPy's archives are ZIP files, as np.savez writes them)"
        case .zip64:
            return "unsupported ZIP64 archive (archives and arrays under 4 GiB only)"
        case .zipDamaged(let reason):
            return "damaged .npz archive: \(reason)"
        case .zipMissingMember(let name, let arrays) where name.isEmpty:
            return "name the array to read, as \"FILE.npz:NAME\" (arrays: \(arrays.joined(separator: ", ")))"
        case .zipMissingMember(let name, let arrays):
            return "no array '\(name)' in the archive (arrays: \(arrays.isEmpty ? "none" : arrays.joined(separator: ", ")))"
        case .zipMember(let name, let reason):
            return "cannot read '\(name)': \(reason)"
        case .inArchiveMember(let name, let error):
            return "'\(name)': \(error.message)"

        case .notAModelFile(let found):
            return "not an nn model file (expected 'nn-model 1' on the first line, found '\(found)')"
        case .newerModelFormat(let found, let supported):
            return "this file was written by a newer nn (format \(found)); this nn reads format \(supported)"
        case .unexpectedEnd(let line, let expected):
            return "line \(line): unexpected end of file, expected \(expected)"
        case .modelExpected(let line, let expected, let found):
            return "line \(line): expected \(expected), found '\(found)'"
        case .badNumber(let line, let text):
            return "line \(line): \(Self.notANumber(text))"
        case .unknownActivation(let line, let name):
            return "line \(line): unknown activation '\(name)'"
        case .unknownLoss(let line, let name):
            return "line \(line): unknown loss '\(name)'"
        case .unknownNormalization(let line, let name):
            return "line \(line): unknown normalization '\(name)' (standard or minmax)"
        case .valueCount(let line, let expected, let found, let what):
            return "line \(line): expected \(Self.count(expected, "number")) (\(what)), found \(found)"
        case .invalidModel(let line, let reason):
            return "line \(line): \(reason)"
        case .trailingText(let line, let text):
            return "line \(line): unexpected '\(text)' after 'end'"

        case .protobuf(let reason):
            return "damaged ONNX file: \(reason)"
        case .onnxModel(let reason):
            return reason
        case .onnxUnsupportedNode(let node, let operation):
            return "\(node) is a\(operation.first.map { "AEIOU".contains($0) } == true ? "n" : "") \(operation); " + Self.onnxWhatNNReads
        }
    }

    /// What `load` takes from an ONNX file, for the messages about what it cannot take.
    static let onnxWhatNNReads = "nn reads dense networks: Gemm or MatMul + Add, each followed by Relu, Sigmoid, Tanh, "
        + "Softmax, LeakyRelu, Elu, Softplus, Sign, Identity or nn's own forms of step and piecewise_linear, "
        + "after an optional Flatten, with an optional BatchNormalization before the activation"

    /// "1 field", "3 fields".
    private static func count(_ n: Int, _ noun: String) -> String {
        "\(n) \(noun)\(n == 1 ? "" : "s")"
    }
}
