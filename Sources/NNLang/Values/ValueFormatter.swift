#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NNEngine

/// Prints values in nn's own literal syntax, so that what nn prints can be pasted back in:
/// `0.2983711088`, `[0.5, 0.25]`, `[[1, 2], [3, 4]]`.
public struct ValueFormatter: Sendable {
    /// Significant digits, 1 to 17.
    public var precision: Int
    /// Decimal places instead of significant digits, when set (`set decimals 9` prints the
    /// worked example's figures as published: 0.082167041, 0.74136507).
    public var decimals: Int?

    /// Vectors and matrices of more numbers than this print summarized, as NumPy prints them
    /// (`set print_limit`); nil prints every number.
    public var summaryThreshold: Int?
    /// The columns a summarized value's lines wrap to (the terminal's, or `set width`).
    public var lineWidth: Int

    /// The rows and columns a summary keeps at each end, as NumPy's `edgeitems`.
    public static let edgeItems = 3

    public init(precision: Int, decimals: Int? = nil, summaryThreshold: Int? = nil, lineWidth: Int = 80) {
        self.precision = precision
        self.decimals = decimals
        self.summaryThreshold = summaryThreshold
        self.lineWidth = lineWidth
    }

    public func format(_ value: Value) -> String {
        switch value {
        case .scalar(let number): return format(number)
        case .vector(let elements): return format(elements)
        case .matrix(let matrix): return format(matrix)
        case .text(let text): return text
        }
    }

    /// `format(value)`, asking `poll` at every number, so that printing 10⁸ of them (with
    /// `set print_limit 0`) can stop; nil when it stopped. A summary is short: it is not asked.
    public func format(_ value: Value, poll: StopPoll) -> String? {
        let rows: [[Double]]
        switch value {
        case .vector(let elements) where summaryThreshold.map({ elements.count <= $0 }) ?? true:
            rows = [elements]
        case .matrix(let matrix) where summaryThreshold.map({ matrix.count <= $0 }) ?? true:
            var lines: [String] = []
            lines.reserveCapacity(matrix.rows)
            for row in 0..<matrix.rows {
                guard let line = format(matrix.row(row), poll: poll) else { return nil }
                lines.append(line)
            }
            return "[" + lines.joined(separator: ", ") + "]"
        default:
            return format(value)
        }
        return format(rows[0], poll: poll)
    }

    private func format(_ elements: [Double], poll: StopPoll) -> String? {
        var texts: [String] = []
        texts.reserveCapacity(elements.count)
        for element in elements {
            if poll.shouldStop() { return nil }
            texts.append(format(element))
        }
        return "[" + texts.joined(separator: ", ") + "]"
    }

    public func format(_ elements: [Double]) -> String {
        if let summaryThreshold, elements.count > summaryThreshold { return summary(of: Matrix(row: elements), isVector: true) }
        return "[" + elements.map(format).joined(separator: ", ") + "]"
    }

    public func format(_ matrix: Matrix) -> String {
        if let summaryThreshold, matrix.count > summaryThreshold { return summary(of: matrix, isVector: false) }
        return "[" + (0..<matrix.rows).map { format(matrix.row($0)) }.joined(separator: ", ") + "]"
    }

    // MARK: - Summaries

    /// A large value as NumPy prints it: the first and last `edgeItems` rows and columns with
    /// `…` between, numbers right-aligned in columns, one row a line, each wrapped to `lineWidth`.
    private func summary(of matrix: Matrix, isVector: Bool) -> String {
        let rows = Self.edges(of: matrix.rows)
        let columns = Self.edges(of: matrix.columns)
        let numbers = rows.compactMap { $0 }.flatMap { row in columns.compactMap { $0 }.map { format(matrix[row, $0]) } }
        let cellWidth = numbers.map(\.count).max() ?? 1
        func cell(_ text: String) -> String { String(repeating: " ", count: max(0, cellWidth - text.count)) + text }
        let indent = isVector ? 1 : 2
        var lines: [String] = []
        for (position, row) in rows.enumerated() {
            let isLast = position == rows.count - 1
            guard let row else {
                lines.append(String(repeating: " ", count: indent - 1) + "…,")
                continue
            }
            let cells = columns.map { column in column.map { cell(format(matrix[row, $0])) } ?? "…" }
            let opening = isVector ? "[" : (position == 0 ? "[[" : " [")
            let closing = isVector ? "]" : (isLast ? "]]" : "],")
            lines += wrapped(cells, opening: opening, closing: closing, indent: indent)
        }
        return lines.joined(separator: "\n")
    }

    /// Cells joined by ", " into lines of at most `lineWidth` (a lone cell may run over),
    /// continuation lines indented to the first cell.
    private func wrapped(_ cells: [String], opening: String, closing: String, indent: Int) -> [String] {
        var lines: [String] = []
        var line = opening
        for (index, cell) in cells.enumerated() {
            let text = cell + (index == cells.count - 1 ? closing : ",")
            if line.count > indent, line.count + 1 + text.count > lineWidth {
                lines.append(line)
                line = String(repeating: " ", count: indent) + text
            } else {
                line += (line.count > indent ? " " : "") + text
            }
        }
        lines.append(line)
        return lines
    }

    /// The indices a summary keeps of `count`, nil where the `…` goes.
    private static func edges(of count: Int) -> [Int?] {
        guard count > 2 * edgeItems else { return Array(0..<count) }
        return Array(0..<edgeItems) + [nil] + Array((count - edgeItems)..<count)
    }

    /// A number with `precision` significant digits, in the shortest of fixed or exponent form
    /// (C's `%g`), the exponent written without padding: `1e-5`, `2.5e20`.
    public func format(_ number: Double) -> String {
        if number.isNaN { return "nan" }
        if number.isInfinite { return number < 0 ? "-inf" : "inf" }
        if number == 0 { return "0" }  // also turns -0 into 0
        if let decimals, abs(number) < 1e15 {
            return fixed(number, decimals: decimals)
        }
        let text = printf("%.*g", precision, number)
        guard let exponentStart = text.firstIndex(of: "e") else { return text }
        let mantissa = text[..<exponentStart]
        var exponent = text[text.index(after: exponentStart)...]
        let sign = exponent.first == "-" ? "-" : ""
        exponent = exponent.drop { $0 == "+" || $0 == "-" }.drop { $0 == "0" }
        return "\(mantissa)e\(sign)\(exponent.isEmpty ? "0" : exponent)"
    }

    /// `number` with `decimals` places, trailing zeros (and a bare point) dropped.
    private func fixed(_ number: Double, decimals: Int) -> String {
        var text = printf("%.*f", decimals, number)
        if text.contains(".") {
            while text.last == "0" { text.removeLast() }
            if text.last == "." { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }

    private func printf(_ format: String, _ digits: Int, _ number: Double) -> String {
        var buffer = [CChar](repeating: 0, count: 64)
        _ = withVaList([Int32(digits), number]) { arguments in
            vsnprintf(&buffer, buffer.count, format, arguments)
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
