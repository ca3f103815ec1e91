import NNEngine
import Testing
@testable import NNLang

@Suite("Value formatter")
struct ValueFormatterTests {
    static let numberCases: [(precision: Int, number: Double, text: String)] = [
        (10, 0.29837110876000267, "0.2983711088"),
        (10, 0.1, "0.1"),
        (17, 0.1, "0.10000000000000001"),
        (3, 1.0 / 3.0, "0.333"),
        (1, 0.05, "0.05"),
        (1, 0.96, "1"),
        (10, 100, "100"),
        (10, -42.5, "-42.5"),
        (10, 1e9, "1000000000"),
        (10, 1e10, "1e10"),
        (4, 123_456, "1.235e5"),
        (10, 0.0001, "0.0001"),
        (10, 0.00001, "1e-5"),
        (10, -1.5e-7, "-1.5e-7"),
        (10, 2.5e20, "2.5e20"),
        (10, 1e100, "1e100"),
        (10, 1e-300, "1e-300"),
        (10, .leastNonzeroMagnitude, "4.940656458e-324"),
        (17, .greatestFiniteMagnitude, "1.7976931348623157e308"),
        (10, 0, "0"),
        (10, -0.0, "0"),
        (10, .nan, "nan"),
        (10, .infinity, "inf"),
        (10, -.infinity, "-inf"),
    ]

    @Test(arguments: numberCases)
    func numbers(_ testCase: (precision: Int, number: Double, text: String)) {
        #expect(ValueFormatter(precision: testCase.precision).format(testCase.number) == testCase.text)
    }

    static let valueCases: [(value: Value, text: String)] = [
        (.scalar(0.5), "0.5"),
        (.vector([0.5, 0.25]), "[0.5, 0.25]"),
        (.vector([-1, 1e-5]), "[-1, 1e-5]"),
        (.matrix(Matrix([[1, 2], [3, 4]])), "[[1, 2], [3, 4]]"),
        (.matrix(Matrix([[1, 2, 3]])), "[[1, 2, 3]]"),
        (.matrix(Matrix([[1], [2]])), "[[1], [2]]"),
        (.text("E = "), "E = "),
    ]

    @Test(arguments: valueCases)
    func values(_ testCase: (value: Value, text: String)) {
        #expect(ValueFormatter(precision: 10).format(testCase.value) == testCase.text)
    }

    /// What nn prints at precision 17 reads back as the very same value.
    static let roundTripValues: [Value] = [
        .scalar(0.1), .scalar(1.0 / 3.0), .scalar(-2.5e-300), .scalar(1e300), .scalar(.pi),
        .scalar(.leastNonzeroMagnitude), .scalar(.greatestFiniteMagnitude), .scalar(-123_456_789.125), .scalar(0.29837110876000267),
        .vector([0.1, -0.2, 1e-7, 3e21]),
        .matrix(Matrix([[0.15, 0.2], [0.25, 0.3]])),
        .matrix(Matrix([[1.0 / 7.0, -2.0 / 3.0, 1e-10]])),
        .matrix(Matrix([[-1e-5], [2e5]])),
    ]

    @Test(arguments: roundTripValues)
    func formattedValuesParseBackToThemselves(_ value: Value) throws {
        let text = ValueFormatter(precision: 17).format(value)
        let parsed = Parser.parse(text)
        #expect(parsed.diagnostics.isEmpty, "\(text)")
        let statement = try #require(parsed.statements.first)
        guard case .expression(let expression) = statement.kind else {
            Issue.record("\(text) did not parse as an expression")
            return
        }
        let (session, _) = makeSession()
        #expect(try session.evaluate(expression) == value, "\(text)")
    }

    @Test func roundTripNeedsSeventeenDigits() throws {
        // The check above could pass by accident if every value were short: 10 digits lose 1/3.
        let text = ValueFormatter(precision: 10).format(.scalar(1.0 / 3.0))
        let (session, transcript) = makeSession()
        #expect(session.run(source: text) == .completed)
        let printed = try #require(transcript.lines.first)
        #expect(Double(printed) != 1.0 / 3.0)
    }
}

/// Large values print as NumPy summarizes them; small ones stay one pasteable line.
@Suite("Value summaries")
struct ValueSummaryTests {
    /// M[i, j] = i * 100 + j for a rows × columns matrix, 0-based.
    static func grid(_ rows: Int, _ columns: Int) -> Matrix {
        Matrix(rows: rows, columns: columns, storage: (0..<rows * columns).map { Double($0 / columns * 100 + $0 % columns) })
    }

    @Test func aMatrixOverTheLimitKeepsItsFirstAndLastThreeRowsAndColumns() {
        let formatter = ValueFormatter(precision: 10, summaryThreshold: 1000, lineWidth: 80)
        #expect(formatter.format(Self.grid(32, 64)) == """
            [[   0,    1,    2, …,   61,   62,   63],
             [ 100,  101,  102, …,  161,  162,  163],
             [ 200,  201,  202, …,  261,  262,  263],
             …,
             [2900, 2901, 2902, …, 2961, 2962, 2963],
             [3000, 3001, 3002, …, 3061, 3062, 3063],
             [3100, 3101, 3102, …, 3161, 3162, 3163]]
            """)
    }

    @Test func aLongRowWrapsToTheWidthUnderItsFirstNumber() {
        let formatter = ValueFormatter(precision: 10, summaryThreshold: 10, lineWidth: 24)
        #expect(formatter.format(Self.grid(2, 6)) == """
            [[  0,   1,   2,   3,
                4,   5],
             [100, 101, 102, 103,
              104, 105]]
            """)
        #expect(formatter.format(Array(repeating: 0.5, count: 11)) == """
            [0.5, 0.5, 0.5, …, 0.5,
             0.5, 0.5]
            """)
    }

    @Test func valuesUpToTheLimitPrintAsBeforeOnOneLine() {
        let formatter = ValueFormatter(precision: 10, summaryThreshold: 1000, lineWidth: 20)
        let text = formatter.format(Self.grid(10, 100))
        #expect(!text.contains("\n") && !text.contains("…"))
        #expect(ValueFormatter(precision: 10).format(Self.grid(40, 40)).count > 8000)  // no limit: every number
    }

    @Test func printLimitZeroPrintsEverything() throws {
        let (session, transcript) = makeSession()
        #expect(session.run(source: "M = transpose([range(0, 32)]) @ [range(0, 64)]\nM\nset print_limit 0\nM\nset print_limit 2047\nM\nset print_limit 2048\nM") == .completed)
        #expect(transcript.lines.filter { $0.contains("…") }.count == 14)  // two summaries of six rows and a "…," line
        #expect(transcript.lines.filter { $0.hasPrefix("[[0, 0, 0") && $0.count > 5000 }.count == 2)
    }
}
