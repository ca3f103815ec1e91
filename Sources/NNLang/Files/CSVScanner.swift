import NNEngine

/// Splits CSV bytes into records of fields, tracking line numbers, without making a `String`
/// per field: a record's fields are ranges of the bytes (or, for a quoted field, of its
/// contents with `""` made `"`), read as numbers straight from the bytes by `FloatParser` and
/// as text only when the text is wanted (a header, a class name, a message).
struct CSVScanner {
    /// Where a field's contents are: `start..<end` of the file's bytes, or of `unquoted` when quoted.
    struct Field {
        var start: Int
        var end: Int
        var quoted: Bool
        /// The field's number, when the scan read it on the way (`FloatParser.decimal` of the field).
        var number: Double? = nil
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private let separator: UInt8
    /// Whether no number can hold the separator, so that a field's number can be read as the
    /// field is scanned: a number that ends at a separator or line end is the whole field.
    private let readsNumbersOnTheWay: Bool
    private var position = 0
    private var line = 1
    /// Asked at every record; a stop ends the file there (the caller knows why).
    var poll = StopPoll.never

    /// The fields of the record `nextRecord` found; reused from record to record.
    private(set) var fields: [Field] = []
    /// The line the record starts on, 1-based.
    private(set) var recordLine = 0
    /// The contents of the record's quoted fields.
    private var unquoted: [UInt8] = []

    private static let quote = UInt8(ascii: "\"")
    private static let newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")
    private static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")

    init(_ bytes: UnsafeBufferPointer<UInt8>, separator: UInt8 = UInt8(ascii: ",")) {
        self.bytes = bytes
        self.separator = separator
        readsNumbersOnTheWay = CSVDialect.canSeparate(separator)
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { position = 3 }
    }

    /// How many bytes have been read.
    var offset: Int { position }

    /// The number of fields in the record.
    var count: Int { fields.count }

    /// Moves to the next record that is not blank; false at the end.
    mutating func nextRecord() throws(DataFileError) -> Bool {
        while position < bytes.count, !poll.shouldStop() {
            recordLine = line
            fields.removeAll(keepingCapacity: true)
            unquoted.removeAll(keepingCapacity: true)
            var quoted = false
            while true {
                let field = try nextField()
                fields.append(field)
                quoted = quoted || field.quoted
                if position < bytes.count && bytes[position] == separator {
                    position += 1
                    continue
                }
                endLine()
                break
            }
            if fields.count == 1 && fields[0].start == fields[0].end && !quoted { continue }  // a blank line
            return true
        }
        return false
    }

    /// Field `index` of the record as text (invalid UTF-8 repaired, as `String(decoding:)` does).
    func text(_ index: Int) -> String {
        withBytes(of: index) { String(decoding: $0, as: UTF8.self) }
    }

    /// Field `index` as a finite number, or nil (`CSVReader.number` of its text).
    @inline(__always)
    func number(_ index: Int) -> Double? {
        if let known = fields[index].number { return known.isFinite ? known : nil }
        guard let value = withBytes(of: index, FloatParser.double), value.isFinite else { return nil }
        return value
    }

    /// The number in a feature cell, or why there is none (`CSVReader.value` of its text);
    /// `columns` name the fields.
    @inline(__always)
    func value(_ index: Int, columns: [String]) throws(DataFileError) -> Double {
        if let value = number(index) { return value }
        return try CSVReader.value(text(index), line: recordLine, column: columns[index])
    }

    private func withBytes<Result>(of index: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        let field = fields[index]
        guard field.quoted else { return body(UnsafeBufferPointer(rebasing: bytes[field.start..<field.end])) }
        return unquoted.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[field.start..<field.end])) }
    }

    /// field = spaces ( '"' { byte | '""' } '"' | { byte other than separator CR LF } ) spaces
    private mutating func nextField() throws(DataFileError) -> Field {
        skipSpaces()
        guard position < bytes.count, bytes[position] == Self.quote else {
            let start = position
            if readsNumbersOnTheWay, let base = bytes.baseAddress {
                let leading = FloatParser.leadingDecimal(base + start, bytes.count - start)
                let end = start + leading.length
                if let value = leading.value, end == bytes.count || isFieldEnd(base[end]) {
                    position = end
                    return Field(start: start, end: end, quoted: false, number: value)
                }
            }
            position = fieldEnd(from: position)
            var end = position
            while end > start && isSpace(bytes[end - 1]) { end -= 1 }
            return Field(start: start, end: end, quoted: false)
        }
        let openedOn = line
        position += 1
        let start = unquoted.count
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
            unquoted.append(byte)
        }
        skipSpaces()
        if position < bytes.count && !isFieldEnd(bytes[position]) { throw .textAfterQuote(line: line) }
        return Field(start: start, end: unquoted.count, quoted: true)
    }

    /// The position of the first separator, CR or LF from `start`, or the end of the bytes:
    /// eight bytes at a time while none of the eight is one.
    @inline(__always)
    private func fieldEnd(from start: Int) -> Int {
        var cursor = start
        let count = bytes.count
        guard let base = bytes.baseAddress else { return cursor }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let separators = UInt64(separator) &* ones
        let newlines = UInt64(Self.newline) &* ones, returns = UInt64(Self.carriageReturn) &* ones
        /// Whether a byte of `word` is 0.
        func hasZeroByte(_ word: UInt64) -> Bool { (word &- ones) & ~word & 0x8080_8080_8080_8080 != 0 }
        while cursor + 8 <= count {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + cursor).loadUnaligned(as: UInt64.self))
            if hasZeroByte(word ^ separators) || hasZeroByte(word ^ newlines) || hasZeroByte(word ^ returns) { break }
            cursor += 8
        }
        while cursor < count, !isFieldEnd(base[cursor]) { cursor += 1 }
        return cursor
    }

    @inline(__always)
    private func isFieldEnd(_ byte: UInt8) -> Bool {
        byte == separator || byte == Self.newline || byte == Self.carriageReturn
    }

    /// A space or tab around a field, unless it is the separator.
    @inline(__always)
    private func isSpace(_ byte: UInt8) -> Bool {
        (byte == Self.space || byte == Self.tab) && byte != separator
    }

    @inline(__always)
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

/// How a CSV file is laid out: the separator between fields, and whether the first line names
/// the columns.
public struct CSVDialect: Equatable, Sendable {
    /// The byte between fields: a comma, or `;`, tab, `|`… (never a quote, a line break,
    /// or a byte that can be part of a number).
    public var separator: UInt8
    public var hasHeader: Bool

    public init(separator: UInt8 = UInt8(ascii: ","), hasHeader: Bool = true) {
        self.separator = separator
        self.hasHeader = hasHeader
    }

    /// Whether `byte` can separate fields: a quote, a line break, a space, a letter, a digit
    /// or a sign or point of a number cannot.
    public static func canSeparate(_ byte: UInt8) -> Bool {
        let character = Character(Unicode.Scalar(byte))
        return byte < 0x80 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\n") && byte != UInt8(ascii: "\r")
            && byte != UInt8(ascii: " ") && !character.isLetter && !character.isNumber && !"+-.".contains(character)
    }
}
