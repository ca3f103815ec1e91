import NNEngine

/// NumPy's `.npy` format for one array, read and written as a `Matrix`.
///
/// A file is the magic bytes `\x93NUMPY`, a major and minor version byte, the header length
/// (2 bytes little-endian in version 1.0, 4 bytes in 2.0 and 3.0), a header that is a Python
/// dict literal such as `{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }` padded
/// with spaces and a newline, then the elements.
///
/// Reads every numeric and boolean dtype NumPy writes: float (`f2`, `f4`, `f8`), signed and
/// unsigned integers of 1, 2, 4 and 8 bytes (`i1`…`i8`, `u1`…`u8`) and bool (`b1`), with
/// either byte order (`<`, `>`; `|` and `=` for native), in C or Fortran order, with 0, 1
/// or 2 dimensions: a scalar is a 1×1 matrix, a 1-D array of length n is n samples of one
/// feature (n×1), a 2-D array is [rows, columns]. Every element becomes a float64, which
/// holds every integer up to 2^53 exactly; a larger integer is refused, naming where it is,
/// rather than rounded without a word. Writes `<f8`, version 1.0, 2-D, C order, with the
/// header padded so the data starts at a multiple of 64 bytes, as NumPy does. Bytes after
/// the elements are ignored, as `numpy.load` ignores them.
public enum NumpyFormat {
    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    // MARK: - Reading

    /// The matrix in the bytes of a `.npy` file.
    public static func decode(_ bytes: [UInt8]) -> Result<Matrix, DataFileError> {
        let layout: Layout
        switch Layout.parse(bytes) {
        case .success(let parsed): layout = parsed
        case .failure(let error): return .failure(error)
        }
        let available = bytes.count - layout.dataStart
        guard layout.byteCount <= available else {
            return .failure(.numpyDataSize(expected: layout.byteCount, found: available))
        }
        var storage = [Double](repeating: 0, count: layout.count)
        let inexact = bytes.withUnsafeBytes { raw in
            storage.withUnsafeMutableBufferPointer { output in
                layout.elementType.decode(UnsafeRawBufferPointer(rebasing: raw[layout.dataStart..<(layout.dataStart + layout.byteCount)]),
                                          into: output, at: 0)
            }
        }
        return layout.matrix(storage, inexact: inexact)
    }

    /// Where a `.npy` file's elements are and what they are, from the bytes up to the end of its
    /// header (the whole file will do).
    struct Layout {
        var dataStart: Int
        var elementType: ElementType
        var rows: Int
        var columns: Int
        var fortran: Bool
        var count: Int { rows * columns }
        var byteCount: Int { count * elementType.size }

        /// The bytes to read before `parse` can tell where the header ends: the magic, the
        /// version and the header's length.
        static let prefixLength = 12

        /// The header's end, from the first `prefixLength` bytes (or fewer, in a file that short).
        static func headerEnd(_ bytes: [UInt8]) -> Result<Int, DataFileError> {
            if bytes.isEmpty { return .failure(.emptyFile) }
            guard bytes.count >= 10, Array(bytes[0..<6]) == magic else { return .failure(.notNumpy) }
            switch (Int(bytes[6]), Int(bytes[7])) {
            case (1, 0):
                return .success(10 + (Int(bytes[8]) | Int(bytes[9]) << 8))
            case (2, 0), (3, 0):
                guard bytes.count >= 12 else { return .failure(.malformedNumpyHeader("the header is cut short")) }
                return .success(12 + (8..<12).reduce(0) { $0 | Int(bytes[$1]) << (8 * ($1 - 8)) })
            case (let major, let minor):
                return .failure(.unsupportedNumpyVersion(major: major, minor: minor))
            }
        }

        static func parse(_ bytes: [UInt8]) -> Result<Layout, DataFileError> {
            let dataStart: Int
            switch headerEnd(bytes) {
            case .success(let end): dataStart = end
            case .failure(let error): return .failure(error)
            }
            let headerStart = bytes[6] == 1 ? 10 : 12
            guard dataStart <= bytes.count else { return .failure(.malformedNumpyHeader("the header is cut short")) }
            let header: Header
            switch Header.parse(String(decoding: bytes[headerStart..<dataStart], as: UTF8.self)) {
            case .success(let parsed): header = parsed
            case .failure(let error): return .failure(error)
            }
            guard let elementType = ElementType(header.dtype) else { return .failure(.unsupportedDtype(header.dtype)) }
            let rows: Int
            let columns: Int
            switch header.shape.count {
            case 0: (rows, columns) = (1, 1)
            case 1: (rows, columns) = (header.shape[0], 1)
            case 2: (rows, columns) = (header.shape[0], header.shape[1])
            default: return .failure(.unsupportedShape(header.shapeText))
            }
            let (count, countOverflow) = rows.multipliedReportingOverflow(by: columns)
            let (_, bytesOverflow) = count.multipliedReportingOverflow(by: elementType.size)
            guard !countOverflow && !bytesOverflow else { return .failure(.numpyDataSize(expected: Int.max, found: bytes.count - dataStart)) }
            return .success(Layout(dataStart: dataStart, elementType: elementType, rows: rows, columns: columns,
                                   fortran: header.fortranOrder && rows > 1 && columns > 1))
        }

        /// The matrix of the decoded elements (in file order), or the integer that a float64
        /// cannot hold, placed as a row and column of the matrix.
        func matrix(_ elements: [Double], inexact: ElementType.InexactInteger?) -> Result<Matrix, DataFileError> {
            if let inexact {
                let (row, column) = fortran ? (inexact.index % rows, inexact.index / rows) : (inexact.index / columns, inexact.index % columns)
                return .failure(.numpyIntegerTooLarge(row: row + 1, column: column + 1, text: inexact.text))
            }
            // In Fortran order element (r, c) is at c·rows + r.
            let storage = fortran ? (0..<count).map { elements[($0 % columns) * rows + $0 / columns] } : elements
            return .success(Matrix(rows: rows, columns: columns, storage: storage))
        }
    }

    // MARK: - Writing

    /// The bytes of a `.npy` file holding `matrix` as a 2-D float64 array.
    public static func encode(_ matrix: Matrix) -> [UInt8] {
        encode(matrix.storage, shape: [matrix.rows, matrix.columns])
    }

    /// The bytes of a `.npy` file holding `values` (row-major) as a float64 array of `shape`:
    /// one dimension for a vector, two for a matrix.
    static func encode(_ values: [Double], shape: [Int]) -> [UInt8] {
        precondition(shape.reduce(1, *) == values.count, "\(values.count) values for shape \(shape)")
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': \(shapeText), }"
        let unpadded = magic.count + 4 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        let headerLength = header.utf8.count  // at most a few hundred bytes: fits version 1.0's two bytes
        var bytes = magic + [1, 0, UInt8(headerLength & 0xFF), UInt8(headerLength >> 8)]
        bytes.reserveCapacity(bytes.count + headerLength + 8 * values.count)
        bytes += Array(header.utf8)
        for value in values {
            withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
        }
        return bytes
    }

    // MARK: - The header

    /// The three keys of a `.npy` header.
    struct Header: Equatable {
        var dtype: String
        var fortranOrder: Bool
        var shape: [Int]
        /// The shape as written, for messages.
        var shapeText: String

        /// header = '{' [ entry { ',' entry } [ ',' ] ] '}', entry = string ':' value
        static func parse(_ text: String) -> Result<Header, DataFileError> {
            var scanner = HeaderScanner(text)
            var dtype: String?
            var fortranOrder: Bool?
            var shape: (values: [Int], text: String)?
            do throws(DataFileError) {
                try scanner.expect("{")
                while !scanner.match("}") {
                    let key = try scanner.string()
                    try scanner.expect(":")
                    switch key {
                    case "descr": dtype = try scanner.dtype()
                    case "fortran_order": fortranOrder = try scanner.boolean()
                    case "shape": shape = try scanner.shape()
                    default: throw .malformedNumpyHeader("unexpected key '\(key)'")
                    }
                    if !scanner.match(",") {
                        try scanner.expect("}")
                        break
                    }
                }
                guard scanner.isAtEnd else { throw .malformedNumpyHeader("text after the closing '}'") }
            } catch {
                return .failure(error)
            }
            guard let dtype else { return .failure(.malformedNumpyHeader("no 'descr'")) }
            guard let fortranOrder else { return .failure(.malformedNumpyHeader("no 'fortran_order'")) }
            guard let shape else { return .failure(.malformedNumpyHeader("no 'shape'")) }
            return .success(Header(dtype: dtype, fortranOrder: fortranOrder, shape: shape.values, shapeText: shape.text))
        }
    }

    /// The cursor over a header's Python literal: only what `np.save` writes.
    struct HeaderScanner {
        private let characters: [Character]
        private var position = 0

        init(_ text: String) { characters = Array(text) }

        var isAtEnd: Bool {
            mutating get {
                skipSpaces()
                return position == characters.count
            }
        }

        mutating func match(_ expected: Character) -> Bool {
            skipSpaces()
            guard position < characters.count && characters[position] == expected else { return false }
            position += 1
            return true
        }

        mutating func expect(_ expected: Character) throws(DataFileError) {
            guard match(expected) else {
                let found = position < characters.count ? "'\(characters[position])'" : "the end"
                throw .malformedNumpyHeader("expected '\(expected)', found \(found)")
            }
        }

        /// string = "'" { character } "'" | '"' { character } '"'
        mutating func string() throws(DataFileError) -> String {
            skipSpaces()
            guard position < characters.count, characters[position] == "'" || characters[position] == "\"" else {
                throw .malformedNumpyHeader("expected a quoted key or value")
            }
            let quote = characters[position]
            position += 1
            let start = position
            while position < characters.count && characters[position] != quote { position += 1 }
            guard position < characters.count else { throw .malformedNumpyHeader("unterminated string") }
            position += 1
            return String(characters[start..<(position - 1)])
        }

        /// A dtype string, or the text of a structured dtype (a list) so the error can show it.
        mutating func dtype() throws(DataFileError) -> String {
            skipSpaces()
            guard position < characters.count, characters[position] == "[" else { return try string() }
            let start = position
            var depth = 0
            while position < characters.count {
                if characters[position] == "[" { depth += 1 }
                if characters[position] == "]" { depth -= 1 }
                position += 1
                if depth == 0 { return String(characters[start..<position]) }
            }
            throw .malformedNumpyHeader("unterminated '['")
        }

        mutating func boolean() throws(DataFileError) -> Bool {
            if matchWord("True") { return true }
            if matchWord("False") { return false }
            throw .malformedNumpyHeader("expected True or False")
        }

        /// shape = '(' [ integer { ',' integer } [ ',' ] ] ')'; Python 2 wrote longs as `3L`.
        mutating func shape() throws(DataFileError) -> (values: [Int], text: String) {
            try expect("(")
            let start = position - 1
            var values: [Int] = []
            while !match(")") {
                skipSpaces()
                let digitsStart = position
                while position < characters.count, characters[position].isASCII, characters[position].isNumber { position += 1 }
                guard let value = Int(String(characters[digitsStart..<position])) else {
                    throw .malformedNumpyHeader("expected a whole number in the shape")
                }
                values.append(value)
                _ = match("L")
                if !match(",") {
                    try expect(")")
                    break
                }
            }
            return (values, String(characters[start..<position]))
        }

        private mutating func matchWord(_ word: String) -> Bool {
            skipSpaces()
            let letters = Array(word)
            guard position + letters.count <= characters.count,
                  Array(characters[position..<(position + letters.count)]) == letters else { return false }
            position += letters.count
            return true
        }

        private mutating func skipSpaces() {
            while position < characters.count && characters[position].isWhitespace { position += 1 }
        }
    }
}
