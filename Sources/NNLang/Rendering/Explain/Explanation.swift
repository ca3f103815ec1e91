/// An explanation as the explainer builds it, once: lines of words and mathematics, equations
/// whose `=` signs line up, and tables.
/// It is rendered three ways: text for the terminal (`textLines`), a LaTeX document (`latex`)
/// and Markdown with KaTeX mathematics (`markdown`), with the same numbers in the same order.
struct Explanation: Equatable, Sendable {
    enum Block: Equatable, Sendable {
        /// Words and mathematics on a line of their own, `indent` levels in (two spaces each).
        case line(indent: Int, Math)
        /// `left = right`, the left side padded to `width` characters in text so that a run of
        /// equations lines up; LaTeX aligns a run at its `=` signs.
        case equation(indent: Int, left: Math, right: Math, width: Int)
        /// A table with a heading row, right-aligned columns.
        case table(indent: Int, heading: [Math], rows: [[Math]])
    }

    var blocks: [Block] = []

    mutating func line(_ math: Math, indent: Int = 0) {
        blocks.append(.line(indent: indent, math))
    }

    /// Equations whose `=` signs line up, as `Explainer.aligned` lines them up in text.
    mutating func aligned(_ rows: [(Math, Math)], indent: Int) {
        let width = rows.map(\.0.text.count).max() ?? 0
        for (left, right) in rows { blocks.append(.equation(indent: indent, left: left, right: right, width: width)) }
    }

    mutating func equation(_ left: Math, _ right: Math, indent: Int = 0, width: Int = 0) {
        blocks.append(.equation(indent: indent, left: left, right: right, width: width))
    }

    mutating func append(_ other: Explanation) {
        blocks += other.blocks
    }

    // MARK: - Text

    /// The lines the terminal shows.
    var textLines: [String] {
        var lines: [String] = []
        for block in blocks {
            switch block {
            case .line(let indent, let math):
                lines.append(String(repeating: "  ", count: indent) + math.text)
            case .equation(let indent, let left, let right, let width):
                lines.append(String(repeating: "  ", count: indent) + left.paddedText(to: width).text + " = " + right.text)
            case .table(let indent, let heading, let rows):
                var table = TextTable(Array(repeating: .right, count: heading.count))
                table.add(heading.map(\.text))
                for row in rows { table.add(row.map(\.text)) }
                lines += table.lines.map { String(repeating: "  ", count: indent) + $0 }
            }
        }
        return lines
    }
}
