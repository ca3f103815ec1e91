import NNEngine

/// Reads comma-separated values into a `DataSet`.
///
/// The dialect is RFC 4180 with some leniency:
/// - the first non-blank line is the header; every column but the target is a numeric feature.
///   Without a header (`CSVDialect.hasHeader` false) the features are named x1…xm and the
///   target y, and the target is the last column or the one at a given position
/// - fields are separated by commas, or by the dialect's separator (`;`, tab); a field in
///   double quotes may hold separators, line breaks and `""` for a quote; spaces and tabs
///   around fields are ignored (spaces only, when tab is the separator)
/// - lines end in LF or CRLF; blank lines anywhere are skipped (as pandas does); a UTF-8
///   byte-order mark is ignored
/// - the target column is numeric if every cell in it is a number: a regression target,
///   unless the caller says it holds classes (`targetIsClass`, e.g. digit labels 0–9)
/// - otherwise its cells are class names, and the target becomes one-hot columns
///
/// Class columns are ordered by sorting the class names: numerically for numeric classes
/// ("2" before "10"), otherwise by Unicode order. Sorting rather than order of first
/// appearance makes the encoding independent of row order, so a shuffled test file encodes
/// its classes as the training file did. Numeric class names are written canonically:
/// "3.0" becomes "3". A missing value (an empty cell, or `NA`, `NaN`, `null` and the other
/// words pandas reads as missing) is an error naming its line and column, as is a
/// non-numeric feature cell, `inf` included: nn does not guess what a missing value was.
///
/// Cells are read as numbers straight from the bytes (`CSVScanner`, `FloatParser`), giving
/// the `Double` that `Double(String)` gives for the cell's text; text is made only for the
/// header, the target column and messages.
public enum CSVReader {
    /// Which column holds the targets.
    public enum TargetColumn: Equatable, Sendable {
        case last
        /// The column with this name in the header.
        case named(String)
        /// The column at this 1-based position (for files without a header).
        case position(Int)
    }

    /// The data set in `text`; see `read(bytes:target:targetIsClass:classNames:name:)`.
    public static func read(_ text: String, target: String?, dialect: CSVDialect = CSVDialect(), targetIsClass: Bool = false,
                            classNames: [String]? = nil, name: String = "") -> Result<DataSet, DataFileError> {
        read(text, target: target.map(TargetColumn.named) ?? .last, dialect: dialect, targetIsClass: targetIsClass,
             classNames: classNames, name: name)
    }

    /// The data set in `text`; see `read(bytes:target:targetIsClass:classNames:name:)`.
    public static func read(_ text: String, target: TargetColumn, dialect: CSVDialect = CSVDialect(), targetIsClass: Bool = false,
                            classNames: [String]? = nil, name: String = "") -> Result<DataSet, DataFileError> {
        var text = text
        return text.withUTF8 {
            parse($0, target: target, dialect: dialect, targetIsClass: targetIsClass, classNames: classNames, name: name)
        }
    }

    /// The data set in the UTF-8 `bytes` of a CSV file.
    ///
    /// - Parameters:
    ///   - target: the name of the target column; nil for the last column.
    ///   - dialect: the separator, and whether the first line is a header.
    ///   - targetIsClass: whether a numeric target holds classes rather than values to fit.
    ///   - classNames: the classes in target-column order, when they are fixed in advance
    ///     (a test file for a trained model); any other class in the file is an error.
    ///     Implies a class target.
    ///   - name: the data set's `name`, usually the file name.
    public static func read(bytes: [UInt8], target: String?, dialect: CSVDialect = CSVDialect(), targetIsClass: Bool = false,
                            classNames: [String]? = nil, name: String = "") -> Result<DataSet, DataFileError> {
        read(bytes: bytes, target: target.map(TargetColumn.named) ?? .last, dialect: dialect, targetIsClass: targetIsClass,
             classNames: classNames, name: name)
    }

    /// The data set in the UTF-8 `bytes` of a CSV file, the target column given by name or position.
    /// At most `maxTargetNumbers` one-hot target numbers (rows × classes) are made. `poll` is
    /// asked at every record: when it says stop (Ctrl-C reading a huge file), the result is
    /// unfinished and to be thrown away.
    public static func read(bytes: [UInt8], target: TargetColumn, dialect: CSVDialect = CSVDialect(), targetIsClass: Bool = false,
                            classNames: [String]? = nil, name: String = "", maxTargetNumbers: Int = Int.max,
                            poll: StopPoll = .never) -> Result<DataSet, DataFileError> {
        bytes.withUnsafeBufferPointer {
            parse($0, target: target, dialect: dialect, targetIsClass: targetIsClass, classNames: classNames, name: name,
                  maxTargetNumbers: maxTargetNumbers, poll: poll)
        }
    }

    /// The numeric cells of a CSV file, as a matrix: `predict "new.csv"`'s inputs. A first line
    /// that is not all numbers is a header; when it names every one of `selecting`, only
    /// those columns are read, in that order (a file with the training data's target column
    /// too, for example).
    /// `poll` is asked as `read`'s is.
    public static func readMatrix(bytes: [UInt8], dialect: CSVDialect = CSVDialect(), selecting wanted: [String]? = nil,
                                  poll: StopPoll = .never) -> Result<(matrix: Matrix, columns: [String]?), DataFileError> {
        bytes.withUnsafeBufferPointer { buffer in
            var scanner = CSVScanner(buffer, separator: dialect.separator)
            scanner.poll = poll
            do throws(DataFileError) {
                guard try scanner.nextRecord() else { return .failure(.emptyFile) }
                let firstLine = scanner.recordLine
                var header: [String]?
                let width = scanner.count
                if dialect.hasHeader && !(0..<width).allSatisfy({ scanner.number($0) != nil }) {
                    header = (0..<width).map { index in
                        let name = scanner.text(index)
                        return name.isEmpty ? "column \(index + 1)" : name
                    }
                    guard try scanner.nextRecord() else { return .failure(.noRows) }
                }
                let columns = header ?? (1...width).map { "x\($0)" }
                var selected = Array(0..<width)
                if let header, let wanted {
                    let indices = wanted.compactMap { header.firstIndex(of: $0) }
                    if indices.count == wanted.count && !wanted.isEmpty { selected = indices }
                }
                var values: [Double] = []
                var rows = 0
                repeat {
                    guard scanner.count == width else {
                        return .failure(header == nil
                            ? .fieldCountAgainstFirstRow(line: scanner.recordLine, found: scanner.count, expected: width, firstLine: firstLine)
                            : .fieldCount(line: scanner.recordLine, found: scanner.count, expected: width))
                    }
                    for index in selected {
                        values.append(try scanner.value(index, columns: columns))
                    }
                    rows += 1
                } while try scanner.nextRecord()
                return .success((Matrix(rows: rows, columns: selected.count, storage: values), header.map { names in selected.map { names[$0] } }))
            } catch {
                return .failure(error)
            }
        }
    }

    // MARK: - Rows to a data set

    private static func parse(_ buffer: UnsafeBufferPointer<UInt8>, target: TargetColumn, dialect: CSVDialect, targetIsClass: Bool,
                              classNames fixedClasses: [String]?, name: String, maxTargetNumbers: Int = Int.max,
                              poll: StopPoll = .never) -> Result<DataSet, DataFileError> {
        var scanner = CSVScanner(buffer, separator: dialect.separator)
        scanner.poll = poll
        do throws(DataFileError) {
            guard try scanner.nextRecord() else { return .failure(.emptyFile) }
            let columns: [String]
            let targetIndex: Int
            var pending = false  // whether the scanner holds a data row not yet read
            if dialect.hasHeader {
                columns = (0..<scanner.count).map { index in
                    let name = scanner.text(index)
                    return name.isEmpty ? "column \(index + 1)" : name
                }
                var seen = Set<String>()
                for column in columns where !seen.insert(column).inserted {
                    return .failure(.duplicateColumn(column))
                }
                switch target {
                case .last: targetIndex = columns.count - 1
                case .named(let targetName):
                    guard let index = columns.firstIndex(of: targetName) else {
                        return .failure(.missingTargetColumn(targetName, columns: columns))
                    }
                    targetIndex = index
                case .position(let position):
                    guard (1...columns.count).contains(position) else {
                        return .failure(.targetPosition(position, columns: columns.count))
                    }
                    targetIndex = position - 1
                }
            } else {
                // No header: the features are x1…xm in order, the target y.
                let count = scanner.count
                switch target {
                case .last: targetIndex = count - 1
                case .position(let position):
                    guard (1...count).contains(position) else { return .failure(.targetPosition(position, columns: count)) }
                    targetIndex = position - 1
                case .named(let targetName):
                    return .failure(.missingTargetColumn(targetName, columns: []))
                }
                var feature = 0
                columns = (0..<count).map { index in
                    guard index != targetIndex else { return "y" }
                    feature += 1
                    return "x\(feature)"
                }
                pending = true
            }
            let targetName = columns[targetIndex]
            guard columns.count > 1 else { return .failure(.noFeatureColumns(target: targetName)) }
            let featureIndices = columns.indices.filter { $0 != targetIndex }
            let firstLine = scanner.recordLine

            var inputs: [Double] = []
            var targetCells: [(line: Int, text: String)] = []
            var numbers: [Double?] = []  // each target cell's number, nil where it is not one
            while true {
                let rowStart = scanner.offset
                if pending { pending = false } else { guard try scanner.nextRecord() else { break } }
                if targetCells.count == 1 {
                    // The second row's length estimates how many rows follow, so that the numbers
                    // are not copied as they grow; at most a double per 8 bytes of the file.
                    let rows = (buffer.count - rowStart) / max(1, scanner.offset - rowStart) + 2
                    let estimate = rows.multipliedReportingOverflow(by: featureIndices.count)
                    let wanted = estimate.overflow ? Int.max : estimate.partialValue, cap = buffer.count / 8
                    var reserved: [Double] = HugePages.emptyArray(capacity: wanted >= cap ? cap : min(cap, wanted + wanted / 16))
                    reserved.append(contentsOf: inputs)
                    inputs = reserved
                }
                guard scanner.count == columns.count else {
                    return .failure(dialect.hasHeader
                        ? .fieldCount(line: scanner.recordLine, found: scanner.count, expected: columns.count)
                        : .fieldCountAgainstFirstRow(line: scanner.recordLine, found: scanner.count, expected: columns.count, firstLine: firstLine))
                }
                for index in featureIndices {
                    inputs.append(try scanner.value(index, columns: columns))
                }
                let cell = scanner.text(targetIndex)
                let number = scanner.number(targetIndex)
                if number == nil && isMissing(cell) { throw .missingValue(line: scanner.recordLine, column: targetName, text: cell) }
                targetCells.append((scanner.recordLine, cell))
                numbers.append(number)
            }
            guard !targetCells.isEmpty else { return .failure(.noRows) }

            let rows = targetCells.count
            let inputMatrix = Matrix(rows: rows, columns: featureIndices.count, storage: inputs)
            let featureNames = featureIndices.map { columns[$0] }
            let isNumeric = numbers.allSatisfy { $0 != nil }
            if isNumeric && !targetIsClass && fixedClasses == nil {
                return .success(DataSet(inputs: inputMatrix, targets: Matrix(column: numbers.map { $0 ?? 0 }),
                                        featureNames: featureNames, name: name))
            }

            let labels = isNumeric ? numbers.map { ClassEncoding.name(ofNumericLabel: $0 ?? 0) } : targetCells.map(\.text)
            let classes: [String]
            if let fixedClasses {
                classes = fixedClasses
            } else if isNumeric {
                classes = ClassEncoding.classes(ofNumericLabels: numbers.map { $0 ?? 0 }).names
            } else {
                classes = Set(labels).sorted()
            }
            let targetNumbers = rows.multipliedReportingOverflow(by: classes.count)
            guard !targetNumbers.overflow, targetNumbers.partialValue <= maxTargetNumbers else {
                return .failure(.classTargetsTooLarge(rows: rows, classes: classes.count, limit: maxTargetNumbers))
            }
            let columnOfClass = Dictionary(classes.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
            var targets = Matrix(rows: rows, columns: classes.count)
            for (row, label) in labels.enumerated() {
                guard let column = columnOfClass[label] else {
                    return .failure(.unknownClass(line: targetCells[row].line, column: targetName, name: label, classes: classes))
                }
                targets.storage[row * classes.count + column] = 1
            }
            return .success(DataSet(inputs: inputMatrix, targets: targets, featureNames: featureNames,
                                    classNames: classes, name: name))
        } catch {
            return .failure(error)
        }
    }

    /// The number in a feature cell, or why there is none.
    static func value(_ cell: String, line: Int, column: String) throws(DataFileError) -> Double {
        if let value = number(cell) { return value }
        if isMissing(cell) { throw .missingValue(line: line, column: column, text: cell) }
        throw .notANumber(line: line, column: column, text: cell)
    }

    /// The words pandas' `read_csv` takes for a missing value, lowercased, and the empty cell.
    static let missingWords: Set<String> = ["", "na", "n/a", "nan", "-nan", "null", "none", "#n/a", "<na>"]

    /// Whether a cell stands for a missing value rather than a value.
    static func isMissing(_ cell: String) -> Bool {
        missingWords.contains(cell.lowercased())
    }

    /// A finite number, or nil: `nan` and `inf` are no use as inputs or targets.
    static func number(_ text: String) -> Double? {
        guard let value = Double(text), value.isFinite else { return nil }
        return value
    }
}
