import NNEngine

/// Writes tables as comma-separated values that `CSVReader`, pandas and NumPy read back exactly.
///
/// Numbers are written in the shortest form that reads back as the same float64 ("0.1",
/// "1e-05", whole numbers without ".0"); a field holding a comma, a quote or a line break is
/// quoted, its quotes doubled (RFC 4180). Lines end in LF, the last one too.
public enum CSVWriter {
    /// A cell: a number, a missing number (written empty, as pandas writes NaN), or text.
    public enum Cell: Equatable, Sendable {
        case number(Double)
        case missing
        case text(String)
    }

    /// The text of a file with `header` as its first line and then `rows`.
    public static func encode(header: [String], rows: [[Cell]]) -> String {
        var lines = [header.map(quoted).joined(separator: ",")]
        lines.reserveCapacity(rows.count + 1)
        for row in rows {
            lines.append(row.map(text).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A matrix with columns named `columns` (x1…xn when nil).
    public static func encode(_ matrix: Matrix, columns: [String]? = nil) -> String {
        let header = columns ?? (0..<matrix.columns).map { "x\($0 + 1)" }
        let rows = (0..<matrix.rows).map { row in matrix.row(row).map(Cell.number) }
        return encode(header: header, rows: rows)
    }

    /// One row per epoch with Keras' CSVLogger columns, each only when some epoch has it:
    /// epoch (1-based, as nn counts), loss, accuracy, val_loss, val_accuracy, lr.
    public static func encode(history: [EpochRecord]) -> String {
        let columns: [(String, (EpochRecord) -> Double?)] = [
            ("epoch", { Double($0.epoch) }), ("loss", \.loss), ("accuracy", \.accuracy),
            ("val_loss", \.validationLoss), ("val_accuracy", \.validationAccuracy), ("lr", \.learningRate),
        ]
        let present = columns.filter { column in history.contains { column.1($0) != nil } }
        let rows = history.map { record in present.map { column in column.1(record).map(Cell.number) ?? .missing } }
        return encode(header: present.map(\.0), rows: rows)
    }

    static func text(_ cell: Cell) -> String {
        switch cell {
        case .number(let value): number(value)
        case .missing: ""
        case .text(let text): quoted(text)
        }
    }

    /// The shortest text that reads back as `value`: "3" for 3.0, "0.1", "-2.5e-08".
    static func number(_ value: Double) -> String {
        // -0.0 keeps its sign through "\(value)".
        if value == value.rounded() && abs(value) < 0x1p53 && !(value == 0 && value.sign == .minus) { return String(Int64(value)) }
        return "\(value)"
    }

    /// `text`, quoted when it holds a comma, a quote, a line break or space at either end.
    static func quoted(_ text: String) -> String {
        let needsQuotes = text.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
            || text.first?.isWhitespace == true || text.last?.isWhitespace == true
        guard needsQuotes else { return text }
        return "\"" + text.map { $0 == "\"" ? "\"\"" : String($0) }.joined() + "\""
    }
}
