import NNEngine
@testable import NNLang

// The CSV reader as it was before it read numbers straight from the bytes (a String per field,
// `Double(String)` for each), kept only as the oracle of CSVReaderOracleTests: the new reader
// must give the same data set, or the same error, for every input.

/// Reads comma-separated values into a `DataSet`: the reader before FloatParser.
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
enum LegacyCSVReader {
    typealias TargetColumn = CSVReader.TargetColumn

    /// The data set in `text`; see `read(bytes:target:targetIsClass:classNames:name:)`.
    static func read(_ text: String, target: String?, dialect: CSVDialect = CSVDialect(), targetIsClass: Bool = false,
                            classNames: [String]? = nil, name: String = "") -> Result<DataSet, DataFileError> {
        read(text, target: target.map(TargetColumn.named) ?? .last, dialect: dialect, targetIsClass: targetIsClass,
             classNames: classNames, name: name)
    }

    /// The data set in `text`; see `read(bytes:target:targetIsClass:classNames:name:)`.
    static func read(_ text: String, target: TargetColumn, dialect: CSVDialect = CSVDialect(), targetIsClass: Bool = false,
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
    static func read(bytes: [UInt8], target: String?, dialect: CSVDialect = CSVDialect(), targetIsClass: Bool = false,
                            classNames: [String]? = nil, name: String = "") -> Result<DataSet, DataFileError> {
        read(bytes: bytes, target: target.map(TargetColumn.named) ?? .last, dialect: dialect, targetIsClass: targetIsClass,
             classNames: classNames, name: name)
    }

    /// The data set in the UTF-8 `bytes` of a CSV file, the target column given by name or position.
    /// At most `maxTargetNumbers` one-hot target numbers (rows × classes) are made. `poll` is
    /// asked at every record: when it says stop (Ctrl-C reading a huge file), the result is
    /// unfinished and to be thrown away.
    static func read(bytes: [UInt8], target: TargetColumn, dialect: CSVDialect = CSVDialect(), targetIsClass: Bool = false,
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
    static func readMatrix(bytes: [UInt8], dialect: CSVDialect = CSVDialect(), selecting wanted: [String]? = nil,
                                  poll: StopPoll = .never) -> Result<(matrix: Matrix, columns: [String]?), DataFileError> {
        bytes.withUnsafeBufferPointer { buffer in
            var scanner = LegacyCSVScanner(buffer, separator: dialect.separator)
            scanner.poll = poll
            do throws(DataFileError) {
                guard var record = try scanner.nextRecord() else { return .failure(.emptyFile) }
                let firstLine = record.line
                var header: [String]?
                let width = record.fields.count
                if dialect.hasHeader && !record.fields.allSatisfy({ number($0) != nil }) {
                    header = record.fields.enumerated().map { $1.isEmpty ? "column \($0 + 1)" : $1 }
                    guard let next = try scanner.nextRecord() else { return .failure(.noRows) }
                    record = next
                }
                let columns = header ?? (1...width).map { "x\($0)" }
                var selected = Array(0..<width)
                if let header, let wanted {
                    let indices = wanted.compactMap { header.firstIndex(of: $0) }
                    if indices.count == wanted.count && !wanted.isEmpty { selected = indices }
                }
                var values: [Double] = []
                var rows = 0
                while true {
                    guard record.fields.count == width else {
                        return .failure(header == nil
                            ? .fieldCountAgainstFirstRow(line: record.line, found: record.fields.count, expected: width, firstLine: firstLine)
                            : .fieldCount(line: record.line, found: record.fields.count, expected: width))
                    }
                    for index in selected {
                        values.append(try value(record.fields[index], line: record.line, column: columns[index]))
                    }
                    rows += 1
                    guard let next = try scanner.nextRecord() else { break }
                    record = next
                }
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
        var scanner = LegacyCSVScanner(buffer, separator: dialect.separator)
        scanner.poll = poll
        do throws(DataFileError) {
            guard let first = try scanner.nextRecord() else { return .failure(.emptyFile) }
            let columns: [String]
            let targetIndex: Int
            var pending: LegacyCSVScanner.Record?
            if dialect.hasHeader {
                columns = first.fields.enumerated().map { $1.isEmpty ? "column \($0 + 1)" : $1 }
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
                let count = first.fields.count
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
                pending = first
            }
            let targetName = columns[targetIndex]
            guard columns.count > 1 else { return .failure(.noFeatureColumns(target: targetName)) }
            let featureIndices = columns.indices.filter { $0 != targetIndex }
            let firstLine = first.line

            var inputs: [Double] = []
            var targetCells: [(line: Int, text: String)] = []
            while true {
                let next: LegacyCSVScanner.Record?
                if let waiting = pending { next = waiting } else { next = try scanner.nextRecord() }
                guard let record = next else { break }
                pending = nil
                guard record.fields.count == columns.count else {
                    return .failure(dialect.hasHeader
                        ? .fieldCount(line: record.line, found: record.fields.count, expected: columns.count)
                        : .fieldCountAgainstFirstRow(line: record.line, found: record.fields.count, expected: columns.count, firstLine: firstLine))
                }
                for index in featureIndices {
                    inputs.append(try value(record.fields[index], line: record.line, column: columns[index]))
                }
                let cell = record.fields[targetIndex]
                if isMissing(cell) { throw .missingValue(line: record.line, column: targetName, text: cell) }
                targetCells.append((record.line, cell))
            }
            guard !targetCells.isEmpty else { return .failure(.noRows) }

            let rows = targetCells.count
            let inputMatrix = Matrix(rows: rows, columns: featureIndices.count, storage: inputs)
            let featureNames = featureIndices.map { columns[$0] }
            let numbers = targetCells.map { number($0.text) }
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

/// Splits CSV bytes into records of fields, tracking line numbers.
struct LegacyCSVScanner {
    struct Record {
        /// The line the record starts on, 1-based.
        var line: Int
        var fields: [String]
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private let separator: UInt8
    private var position = 0
    private var line = 1
    /// Asked at every record; a stop ends the file there (the caller knows why).
    var poll = StopPoll.never

    private static let quote = UInt8(ascii: "\"")
    private static let newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")
    private static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")

    init(_ bytes: UnsafeBufferPointer<UInt8>, separator: UInt8 = UInt8(ascii: ",")) {
        self.bytes = bytes
        self.separator = separator
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { position = 3 }
    }

    /// The next record that is not blank, or nil at the end.
    mutating func nextRecord() throws(DataFileError) -> Record? {
        while position < bytes.count, !poll.shouldStop() {
            let start = line
            var fields: [String] = []
            var quoted = false
            while true {
                let (field, wasQuoted) = try nextField()
                fields.append(field)
                quoted = quoted || wasQuoted
                if position < bytes.count && bytes[position] == separator {
                    position += 1
                    continue
                }
                endLine()
                break
            }
            if fields.count == 1 && fields[0].isEmpty && !quoted { continue }  // a blank line
            return Record(line: start, fields: fields)
        }
        return nil
    }

    /// field = spaces ( '"' { byte | '""' } '"' | { byte other than separator CR LF } ) spaces
    private mutating func nextField() throws(DataFileError) -> (String, quoted: Bool) {
        skipSpaces()
        guard position < bytes.count, bytes[position] == Self.quote else {
            let start = position
            while position < bytes.count, !isFieldEnd(bytes[position]) { position += 1 }
            var end = position
            while end > start && isSpace(bytes[end - 1]) { end -= 1 }
            return (String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self), false)
        }
        let openedOn = line
        position += 1
        var contents: [UInt8] = []
        while true {
            guard position < bytes.count else { throw .unterminatedQuote(line: openedOn) }
            let byte = bytes[position]
            position += 1
            if byte == Self.quote {
                guard position < bytes.count, bytes[position] == Self.quote else { break }
                position += 1
            } else if byte == Self.newline {
                line += 1
            }
            contents.append(byte)
        }
        skipSpaces()
        if position < bytes.count && !isFieldEnd(bytes[position]) { throw .textAfterQuote(line: line) }
        return (String(decoding: contents, as: UTF8.self), true)
    }

    private func isFieldEnd(_ byte: UInt8) -> Bool {
        byte == separator || byte == Self.newline || byte == Self.carriageReturn
    }

    /// A space or tab around a field, unless it is the separator.
    private func isSpace(_ byte: UInt8) -> Bool {
        (byte == Self.space || byte == Self.tab) && byte != separator
    }

    private mutating func skipSpaces() {
        while position < bytes.count && isSpace(bytes[position]) { position += 1 }
    }

    /// Steps over LF, CRLF or a lone CR, or nothing at the end of the bytes.
    private mutating func endLine() {
        guard position < bytes.count else { return }
        if bytes[position] == Self.carriageReturn { position += 1 }
        if position < bytes.count && bytes[position] == Self.newline { position += 1 }
        line += 1
    }
}
