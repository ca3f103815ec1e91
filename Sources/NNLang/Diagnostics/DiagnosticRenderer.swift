/// Words diagnostics for people: `FILE:LINE:COL: error: message`, the source line, and a caret
/// under the span with the hint beside it.
///
/// ```
/// scripts/demo.nn:3:10: error: unknown activation 'sigmod'
///     3 | layer 10 sigmod
///       |          ^~~~~~ did you mean 'sigmoid'?
/// ```
public struct DiagnosticRenderer: Sendable {
    /// The widest stretch of a source line quoted; longer lines are cut around the caret.
    public static let maximumQuotedWidth = 100

    public var palette: Palette

    public init(palette: Palette = .plain) {
        self.palette = palette
    }

    public func render(_ diagnostic: Diagnostic, in file: SourceFile) -> String {
        guard let span = diagnostic.span else {
            return "\(palette.paint(file.name + ":", as: .location)) \(palette.paint("error:", as: .error)) \(diagnostic.message)"
                + (diagnostic.hint.map { " (\($0))" } ?? "")
        }
        let location = palette.paint("\(file.name):\(span.start.line):\(span.start.column):", as: .location)
        let header = "\(location) \(palette.paint("error:", as: .error)) \(diagnostic.message)"
        var line = Array(file.line(span.start.line).unicodeScalars).map(printable)
        var column = span.start.column - 1  // 0-based
        var length = span.end.line == span.start.line ? span.end.column - span.start.column : line.count - column
        length = max(1, min(length, max(1, line.count - column)))

        // Keep long lines (a 10,000-bracket line, say) to a readable window around the caret.
        if line.count > DiagnosticRenderer.maximumQuotedWidth {
            let half = DiagnosticRenderer.maximumQuotedWidth / 2
            let start = max(0, min(column - half, line.count - DiagnosticRenderer.maximumQuotedWidth))
            let end = min(line.count, start + DiagnosticRenderer.maximumQuotedWidth)
            var window = Array(line[start..<end])
            column -= start
            if start > 0 {
                window.insert("…", at: 0)
                column += 1
            }
            if end < line.count { window.append("…") }
            line = window
            length = min(length, max(1, line.count - column - (end < line.count ? 1 : 0)))
        }
        column = min(column, line.count)

        let number = String(span.start.line)
        let gutterWidth = max(5, number.count + 1)
        let gutter = String(repeating: " ", count: gutterWidth - number.count) + number
        let blankGutter = String(repeating: " ", count: gutterWidth)
        // Tabs stay tabs under the caret so that it lines up whatever the tab width.
        let indent = String(line.prefix(column).map { $0 == "\t" ? "\t" : " " })
        let caret = "^" + String(repeating: "~", count: length - 1)
        let hint = diagnostic.hint.map { " " + $0 } ?? ""
        return [
            header,
            "\(gutter) | \(String(String.UnicodeScalarView(line)))",
            "\(blankGutter) | \(indent)\(palette.paint(caret, as: .caret))\(hint)",
        ].joined(separator: "\n")
    }

    /// Control characters would upset the terminal showing the message: show them as '?'.
    private func printable(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        scalar == "\t" || (scalar.value >= 0x20 && scalar.value != 0x7F && !(0x80..<0xA0).contains(scalar.value)) ? scalar : "?"
    }
}
