import NNEngine

/// Reads comma-separated values with a header row into a `DataSet`.
///
/// The dialect is RFC 4180 with some leniency:
/// - the first non-blank line is the header; every column but the target is a numeric feature
/// - fields are separated by commas; a field in double quotes may hold commas, line breaks
///   and `""` for a quote; spaces and tabs around fields are ignored
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
/// "3.0" becomes "3". A missing or non-numeric feature cell, `nan` or `inf` included, is
/// an error naming its line and column.
public enum CSVReader {
    /// The data set in `text`; see `read(bytes:target:targetIsClass:classNames:name:)`.
    public static func read(_ text: String, target: String?, targetIsClass: Bool = false,
                            classNames: [String]? = nil, name: String = "") -> Result<DataSet, DataFileError> {
        var text = text
        return text.withUTF8 { parse($0, target: target, targetIsClass: targetIsClass, classNames: classNames, name: name) }
    }

    /// The data set in the UTF-8 `bytes` of a CSV file.
    ///
    /// - Parameters:
    ///   - target: the name of the target column; nil for the last column.
    ///   - targetIsClass: whether a numeric target holds classes rather than values to fit.
    ///   - classNames: the classes in target-column order, when they are fixed in advance
    ///     (a test file for a trained model); any other class in the file is an error.
    ///     Implies a class target.
    ///   - name: the data set's `name`, usually the file name.
    public static func read(bytes: [UInt8], target: String?, targetIsClass: Bool = false,
                            classNames: [String]? = nil, name: String = "") -> Result<DataSet, DataFileError> {
        bytes.withUnsafeBufferPointer {
            parse($0, target: target, targetIsClass: targetIsClass, classNames: classNames, name: name)
        }
    }

    // MARK: - Rows to a data set

    private static func parse(_ buffer: UnsafeBufferPointer<UInt8>, target: String?, targetIsClass: Bool,
                              classNames fixedClasses: [String]?, name: String) -> Result<DataSet, DataFileError> {
        var scanner = CSVScanner(buffer)
        do throws(DataFileError) {
            guard let header = try scanner.nextRecord() else { return .failure(.emptyFile) }
            let columns = header.fields.enumerated().map { $1.isEmpty ? "column \($0 + 1)" : $1 }
            var seen = Set<String>()
            for column in columns where !seen.insert(column).inserted {
                return .failure(.duplicateColumn(column))
            }
            let targetName = target ?? columns[columns.count - 1]
            guard let targetIndex = columns.firstIndex(of: targetName) else {
                return .failure(.missingTargetColumn(targetName, columns: columns))
            }
            guard columns.count > 1 else { return .failure(.noFeatureColumns(target: targetName)) }
            let featureIndices = columns.indices.filter { $0 != targetIndex }

            var inputs: [Double] = []
            var targetCells: [(line: Int, text: String)] = []
            while let record = try scanner.nextRecord() {
                guard record.fields.count == columns.count else {
                    return .failure(.fieldCount(line: record.line, found: record.fields.count, expected: columns.count))
                }
                for index in featureIndices {
                    let cell = record.fields[index]
                    guard !cell.isEmpty else { return .failure(.missingValue(line: record.line, column: columns[index])) }
                    guard let value = number(cell) else {
                        return .failure(.notANumber(line: record.line, column: columns[index], text: cell))
                    }
                    inputs.append(value)
                }
                let cell = record.fields[targetIndex]
                guard !cell.isEmpty else { return .failure(.missingValue(line: record.line, column: targetName)) }
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

    /// A finite number, or nil: `nan` and `inf` are no use as inputs or targets.
    static func number(_ text: String) -> Double? {
        guard let value = Double(text), value.isFinite else { return nil }
        return value
    }
}

/// Splits CSV bytes into records of fields, tracking line numbers.
struct CSVScanner {
    struct Record {
        /// The line the record starts on, 1-based.
        var line: Int
        var fields: [String]
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0
    private var line = 1

    private static let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\"")
    private static let newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")
    private static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { position = 3 }
    }

    /// The next record that is not blank, or nil at the end.
    mutating func nextRecord() throws(DataFileError) -> Record? {
        while position < bytes.count {
            let start = line
            var fields: [String] = []
            var quoted = false
            while true {
                let (field, wasQuoted) = try nextField()
                fields.append(field)
                quoted = quoted || wasQuoted
                if position < bytes.count && bytes[position] == Self.comma {
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

    /// field = spaces ( '"' { byte | '""' } '"' | { byte other than ',' CR LF } ) spaces
    private mutating func nextField() throws(DataFileError) -> (String, quoted: Bool) {
        skipSpaces()
        guard position < bytes.count, bytes[position] == Self.quote else {
            let start = position
            while position < bytes.count, !isFieldEnd(bytes[position]) { position += 1 }
            var end = position
            while end > start && (bytes[end - 1] == Self.space || bytes[end - 1] == Self.tab) { end -= 1 }
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
        byte == Self.comma || byte == Self.newline || byte == Self.carriageReturn
    }

    private mutating func skipSpaces() {
        while position < bytes.count && (bytes[position] == Self.space || bytes[position] == Self.tab) { position += 1 }
    }

    /// Steps over LF, CRLF or a lone CR, or nothing at the end of the bytes.
    private mutating func endLine() {
        guard position < bytes.count else { return }
        if bytes[position] == Self.carriageReturn { position += 1 }
        if position < bytes.count && bytes[position] == Self.newline { position += 1 }
        line += 1
    }
}
