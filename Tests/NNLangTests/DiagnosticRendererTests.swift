import Testing
@testable import NNLang

@Suite("Diagnostic renderer")
struct DiagnosticRendererTests {
    /// The first syntax error of `source`, rendered as if from `name`.
    static func renderFirstError(_ source: String, name: String = "scripts/demo.nn") -> String? {
        let file = SourceFile(name: name, text: source)
        return Parser.parse(source).diagnostics.first.map { DiagnosticRenderer().render($0, in: file) }
    }

    static let cases: [(name: String, source: String, rendered: String)] = [
        (
            "the three-line form with a hint",
            "input 2\nlayer 2 relu\nlayer 10 sigmod\n",
            """
            scripts/demo.nn:3:10: error: unknown activation 'sigmod'
                3 | layer 10 sigmod
                  |          ^~~~~~ did you mean 'sigmoid'?
            """
        ),
        (
            "no hint leaves no trailing space",
            "x = [1 2]",
            """
            scripts/demo.nn:1:8: error: expected ']' to close '[' at 1:5, found number '2' (a missing ',' or operator?)
                1 | x = [1 2]
                  |        ^
            """
        ),
        (
            "a caret past the end of the line",
            "layer",
            """
            scripts/demo.nn:1:6: error: 'layer' needs the number of units
                1 | layer
                  |      ^
            """
        ),
        (
            "tabs stay tabs under the caret",
            "\tlayer\t2 sigmod",
            "scripts/demo.nn:1:10: error: unknown activation 'sigmod'\n"
                + "    1 | \tlayer\t2 sigmod\n"
                + "      | \t     \t  ^~~~~~ did you mean 'sigmoid'?"
        ),
        (
            "control characters shown as '?'",
            "x = 1 \u{1}\u{7}\u{1B}[31m",
            "scripts/demo.nn:1:7: error: unexpected character U+0001\n"
                + "    1 | x = 1 ???[31m\n"
                + "      |       ^~~"
        ),
        (
            "DEL and C1 controls shown as '?', other non-ASCII as is",
            "é = \u{7F}\u{85}",
            "scripts/demo.nn:1:1: error: unexpected character U+00E9\n"
                + "    1 | é = ??\n"
                + "      | ^"
        ),
        (
            "a carriage return ending the line is not quoted",
            "x = 1\r\nlayer 2 sigmod\r\n",
            "scripts/demo.nn:2:9: error: unknown activation 'sigmod'\n"
                + "    2 | layer 2 sigmod\n"
                + "      |         ^~~~~~ did you mean 'sigmoid'?"
        ),
    ]

    @Test(arguments: cases)
    func render(_ testCase: (name: String, source: String, rendered: String)) {
        #expect(Self.renderFirstError(testCase.source) == testCase.rendered, "\(testCase.name)")
    }

    @Test func aDiagnosticWithoutAPlaceIsOneLine() {
        let diagnostic = Diagnostic(.unknownCommand("lyer", suggestion: "layer"), at: nil)
        let rendered = DiagnosticRenderer().render(diagnostic, in: SourceFile(name: "<stdin>", text: ""))
        #expect(rendered == "<stdin>: error: unknown command 'lyer' (did you mean 'layer'?)")
    }

    @Test func aSpanOverSeveralLinesIsUnderlinedToTheEndOfItsFirstLine() {
        let source = "abc defgh\nxyz"
        let diagnostic = Diagnostic(.notAssignable, at: SourceSpan(start: SourceLocation(line: 1, column: 5), end: SourceLocation(line: 2, column: 3)))
        #expect(DiagnosticRenderer().render(diagnostic, in: SourceFile(name: "f", text: source)) == """
            f:1:5: error: cannot assign to this expression
                1 | abc defgh
                  |     ^~~~~
            """)
    }

    @Test func theGutterWidensForLongFiles() {
        let source = String(repeating: "\n", count: 123_455) + "3 = 4"
        #expect(Self.renderFirstError(source, name: "big.nn") == """
            big.nn:123456:1: error: cannot assign to this expression
             123456 | 3 = 4
                    | ^
            """)
    }

    @Test func aVeryLongLineIsCutToAWindowAroundTheCaret() {
        let width = DiagnosticRenderer.maximumQuotedWidth
        let rendered = Self.renderFirstError(String(repeating: "[", count: 10_000), name: "<-e>")
        // The caret is at column 201; the window starts 50 before it, after a leading '…'.
        #expect(rendered == """
            <-e>:1:201: error: nested too deeply: more than 200 levels of brackets, blocks or operators
                1 | …\(String(repeating: "[", count: width))…
                  | \(String(repeating: " ", count: width / 2 + 1))^
            """)
    }

    static let windowCases: [(name: String, column: Int, length: Int, line: String, caret: String)] = [
        // A 300-column line of digits: 0123456789 repeated.
        ("at the start: no leading ellipsis", 1, 3, digits(0..<100) + "…", "^~~"),
        ("near the end: no trailing ellipsis", 290, 2, "…" + digits(200..<300), String(repeating: " ", count: 90) + "^~"),
        ("in the middle: both", 151, 1, "…" + digits(100..<200) + "…", String(repeating: " ", count: 51) + "^"),
        ("a long span stops at the window's edge", 1, 300, digits(0..<100) + "…", "^" + String(repeating: "~", count: 99)),
    ]

    static func digits(_ range: Range<Int>) -> String {
        String(range.map { Character(String($0 % 10)) })
    }

    @Test(arguments: windowCases)
    func longLineWindows(_ testCase: (name: String, column: Int, length: Int, line: String, caret: String)) {
        let source = Self.digits(0..<300)
        let diagnostic = Diagnostic(.notAssignable, at: span(1, testCase.column, testCase.column + testCase.length))
        let rendered = DiagnosticRenderer().render(diagnostic, in: SourceFile(name: "f", text: source))
        #expect(rendered == """
            f:1:\(testCase.column): error: cannot assign to this expression
                1 | \(testCase.line)
                  | \(testCase.caret)
            """, "\(testCase.name)")
    }
}
