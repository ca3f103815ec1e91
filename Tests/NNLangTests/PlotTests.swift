import Foundation
import NNEngine
import Testing
@testable import NNLang

/// `plot` and `draw`: terminal pictures at a fixed width, checked to the character; SVG parsed
/// as XML by an independent parser (python3's xml.etree) and counted; DOT edges counted.
@Suite("Pictures")
struct PlotTests {
    /// What `source` prints after `setup`, line by line.
    static func output(of source: String, after setup: String = "") throws -> [String] {
        let (session, transcript) = try SessionTests.session(after: setup)
        transcript.lines = []
        let outcome = session.run(source: source)
        try #require(outcome == .completed, "\(source): \(outcome)")
        return transcript.lines
    }

    /// The diagnostic `source` fails with, after `setup`.
    static func failure(of source: String, after setup: String = "") throws -> String {
        let (session, _) = try SessionTests.session(after: setup)
        guard case .failed(let diagnostic) = session.run(source: source) else {
            Issue.record("\(source) did not fail")
            return ""
        }
        return diagnostic.problem.message
    }

    // MARK: - Terminal pictures, golden

    @Test func activationInBraille() throws {
        #expect(try Self.output(of: "set width 40\nplot sigmoid from=-2 to=2 height=5") == [
            "       sigmoid and its derivative",
            "1.0 ┤                          ⢀⣀⣀⣠⠤",
            "    │                  ⢀⣀⡠⠤⠖⠒⠋⠉⠉",
            "0.5 ┤            ⣀⣠⠤⠴⠒⠋⠉",
            "    │    ⣀⣀⣠⣤⣴⣒⣊⣩⠥⠤⠤⠤⠤⠤⠤⣄⣀⣀⣀⣀⡀",
            "  0 ┤⠒⠛⠛⠉⠉⠉⠉                 ⠉⠉⠉⠉⠓⠒⠒",
            "    └┬──────┬───────┬───────┬──────┬",
            "    -2     -1       0       1      2   z",
            "  ━━ sigmoid(z)   ┅┅ sigmoid'(z)",
        ])
    }

    @Test func activationInASCII() throws {
        #expect(try Self.output(of: "set charset ascii\nplot sigmoid from=-2 to=2 width=40 height=5") == [
            "       sigmoid and its derivative",
            "1.0 +                              *",
            "    |                   ************",
            "0.5 +           *********",
            "    |**ooooooooooooooooooooooooooo",
            "  0 +ooo                         ooo",
            "    ++-------+------+-------+------+",
            "    -2      -1      0       1      2   z",
            "  ** sigmoid(z)   oo sigmoid'(z)",
        ])
    }

    @Test func matrixHeatMapWithScale() throws {
        #expect(try Self.output(of: "set charset ascii\nset width 40\nplot [[1, -0.5], [0.25, 0]]") == [
            "[[1, -0.5], [0.25, 0]] (2x2)",
            "     1     2      column",
            "1 |######''''''|",
            "2 |......      |",
            "row",
            "  scale  -1 ==--''  ..++## 1",
        ])
    }

    @Test func decisionRegionsWithSamples() throws {
        #expect(try Self.output(of: "plot boundary width=30 height=8", after: "set charset ascii\nexample xor") == [
            "    decision regions: xor",
            "x2",
            "1.0 +:x::::   .....o.",
            "    |::::::::   .....",
            "    |::::::::::   ...",
            "    | :::::::::::   .",
            "0.5 +   :::::::::::",
            "    |..   :::::::::::",
            "    |....   :::::::::",
            "  0 +.o....   :::::x:",
            "    +-+-----+------+-",
            "      0    0.5    1.0       x1",
            "  .. o 0   :: x 1",
        ])
    }

    @Test func networkWithWeights() throws {
        #expect(try Self.output(of: "draw", after: mazurProgram) == [
            " input     layer 1: sigmoid     layer 2: sigmoid",
            " ○ i1      ● h1  b=0.35         ● o1  b=0.6",
            " ○ i2  ──▶ ● h2  b=0.35     ──▶ ● o2  b=0.6",
            "",
            " h1 = sigmoid(0.15·i1 + 0.2·i2 + 0.35)",
            " h2 = sigmoid(0.25·i1 + 0.3·i2 + 0.35)",
            " o1 = sigmoid(0.4·h1 + 0.45·h2 + 0.6)",
            " o2 = sigmoid(0.5·h1 + 0.55·h2 + 0.6)",
        ])
    }

    @Test func everyLineFitsTheWidth() throws {
        let setup = "data circles n=60 seed=1\nsplit test=0.25 seed=1\ninput 2\nlayer 4 tanh\nlayer 1 sigmoid\ntrain epochs=20 quiet=true validation=0.2"
        for width in [40, 57, 80, 123] {
            for what in ["loss", "boundary", "tanh", "W1", "x * x"] {
                let lines = try Self.output(of: "plot \(what) width=\(width)", after: setup)
                #expect(lines.count >= 8)
                #expect(lines.allSatisfy { $0.count <= width }, "plot \(what) width=\(width): \(lines.map(\.count).max() ?? 0) columns")
            }
        }
    }

    @Test func colourOnlyWhenAllowed() throws {
        let (session, transcript) = makeSession()
        #expect(session.run(source: "plot relu") == .completed)
        #expect(!transcript.lines.joined().contains("\u{1B}["))
        session.palette = .ansi
        transcript.lines = []
        #expect(session.run(source: "plot relu") == .completed)
        #expect(transcript.lines.joined().contains("\u{1B}[38;5;"))
    }

    // MARK: - Expressions of one variable

    @Test func expressionOfOneFreeName() throws {
        let lines = try Self.output(of: "plot t * t from=-1 to=1 width=40 height=6")
        #expect(lines.first?.contains("t * t") == true)
        #expect(lines.contains { $0.hasSuffix("  t") })  // the variable labels the x axis
    }

    @Test func definedNamesAreNotTheVariable() throws {
        // scale has a value, so x is the one free name; x itself is restored afterwards.
        let (session, _) = try SessionTests.session(after: "scale = 3\nx = 7\nplot scale * sigmoid(x) width=40")
        #expect(session.variables["x"] == .scalar(7))
        #expect(session.variables["scale"] == .scalar(3))
    }

    /// The widest range a plot takes has exact ticks; values past ±1e307 (here up to ±1e308,
    /// which used to stop the program) are drawn at the edge of an axis that ends there.
    @Test func extremeRangesKeepTheirTicks() throws {
        #expect(try Self.output(of: "set width 40\nplot x from=-1e307 to=1e307 height=5") == [
            "                   x",
            " 1e307 ┤                     ⣀⡤⠴⠒⠋",
            "       │               ⢀⣀⡤⠖⠚⠉⠁",
            "     0 ┤          ⣀⣠⠤⠖⠋⠉",
            "       │    ⢀⣀⡤⠴⠚⠉⠁",
            "-1e307 ┤⣠⠤⠖⠚⠉",
            "       └┬─────┬──────┬─────┬─────┬",
            "     -1e307 -5e306   0   5e306         x",
            "  ━━ x",
        ])
        #expect(try Self.output(of: "set width 40\nplot 1e308*x from=-1 to=1 height=5") == [
            "               1e308 * x",
            " 1e307 ┤              ⡼",
            "       │             ⢠⠇",
            "     0 ┤             ⡼",
            "       │            ⢰⠃",
            "-1e307 ┤            ⡞",
            "       └┬─────┬──────┬──────┬─────┬",
            "      -1.0  -0.5     0     0.5  1.0    x",
            "  ━━ 1e308 * x",
        ])
    }

    @Test func gapsWhereTheExpressionHasNoValue() throws {
        let lines = try Self.output(of: "plot log(x) from=-1 to=4 width=40 height=6")
        #expect(lines.count == 10)
    }

    /// The report of issue 22: `plot sigmoid from=-1e307 to=1e308` drew only a dot. Past ±1e307
    /// it is refused, at `to`; at ±1e307 the curve is the step it is at that scale: 0 along
    /// the left half, a rise at 0, 1 along the right half.
    @Test func theWidestSigmoidIsAStepNotADot() throws {
        #expect(try Self.failure(of: "plot sigmoid from=-1e307 to=1e308")
            == "the range from=-1e307 to=1e308 is too wide to draw: from and to must lie between -1e307 and 1e307")
        let lines = try Self.output(of: "set width 40\nplot sigmoid(x) from=-1e307 to=1e307 height=5")
        let width = try #require(lines.first { $0.contains("└") }).drop { $0 != "└" }.count - 1
        // Each row of the plot after its axis, padded to the axis's width.
        let rows = lines.filter { $0.contains("┤") || $0.contains("│") }.map { line in
            let cells = String(line.drop { $0 != "┤" && $0 != "│" }.dropFirst())
            return Substring(cells + String(repeating: " ", count: max(0, width - cells.count)))
        }
        try #require(rows.count == 5, "\(lines)")
        let (top, bottom) = (rows[0], rows[4])
        let half = width / 2
        // Braille cells with dots: the top row's right half, the bottom row's left half.
        func inked(_ text: Substring) -> Int { text.unicodeScalars.filter { $0.value > 0x2800 && $0.value <= 0x28FF }.count }
        #expect(inked(top.suffix(half - 2)) >= half - 4, "\(lines.joined(separator: "\n"))")
        #expect(inked(bottom.prefix(half - 2)) >= half - 4, "\(lines.joined(separator: "\n"))")
        #expect(inked(top.prefix(half - 2)) == 0 && inked(bottom.suffix(half - 2)) == 0)
    }

    @Test func pictureErrors() throws {
        #expect(try Self.failure(of: "plot x * y * z") == "'plot' draws an expression of one or two variables, and this one has 3 unknown names: 'x', 'y', 'z'")
        #expect(try Self.failure(of: "plot loss") == "no training history yet: 'train' records one")
        #expect(try Self.failure(of: "plot boundary", after: "data iris\ninput 4\nlayer 3 softmax")
            == "'plot boundary' draws the plane of two inputs, and the data has 4 inputs")
        #expect(try Self.failure(of: "plot boundary", after: "data sine\ninput 1\nlayer 1")
            == "'plot boundary' draws the plane of two inputs, and the data has 1 input")
        #expect(try Self.failure(of: "plot boundary", after: "input 2\nlayer 1 sigmoid") == "'plot boundary' needs data: give it with 'data x=MATRIX y=MATRIX'")
        #expect(try Self.failure(of: "plot softmax") == "expected an elementwise activation (softmax mixes its inputs: see explain grad), got softmax")
        #expect(try Self.failure(of: "plot 3") == "expected something to draw: loss, boundary, an activation, a matrix, or an expression of x such as sigmoid(x), got 3")
        #expect(try Self.failure(of: "plot sigmoid from=2 to=1") == "from must be less than to=1, got 2")
        #expect(try Self.failure(of: "plot sigmoid from=-1e308 to=1e308")
            == "the range from=-1e308 to=1e308 is too wide to draw: from and to must lie between -1e307 and 1e307")
        #expect(try Self.failure(of: "plot x from=0 to=2e307") == "the range from=0 to=2e307 is too wide to draw: from and to must lie between -1e307 and 1e307")
        #expect(try Self.failure(of: "plot sigmoid \"s.svg\"") == "expected 'to' before a file name, found a file name: write to \"FILE\"")
        #expect(try Self.failure(of: "plot sigmoid to") == "'plot' needs a file name in quotes after 'to'")
        #expect(try Self.failure(of: "plot sigmoid to \"s.png\"") == "expected a file name ending in .svg, got 's.png'")
        #expect(try Self.failure(of: "draw to \"n.png\"", after: mazurProgram) == "expected a file name ending in .dot, .gv or .svg, got 'n.png'")
        #expect(try Self.failure(of: "draw") == "'draw' needs a network: start with 'input N'")
        #expect(try Self.failure(of: "plot sigmoid to \"/nonexistent-folder/s.svg\"")
            == "cannot write '/nonexistent-folder/s.svg': no such file or directory")
        #expect(try Self.failure(of: "set charset ebcdic") == "expected unicode or ascii for charset, got 'ebcdic'")
        #expect(try Self.failure(of: "set width 5") == "expected a whole number ≥ 20 for width, got 5")
    }

    /// from= and to= bound a curve's x axis; width= and height= size the terminal's canvas.
    static let inapplicableOptionCases: [(setup: String, source: String, message: String)] = [
        ("example xor", "plot boundary from=-1", "option 'from' applies to plot loss, activations and expressions of one or two variables only"),
        (mazurProgram, "plot W1 to=2", "option 'to' applies to plot loss, activations and expressions of one or two variables only"),
        ("", "plot [1, 2] from=0", "option 'from' applies to plot loss, activations and expressions of one or two variables only"),
        ("x = [1, 2]", "plot x * 2 to=1", "option 'to' applies to plot loss, activations and expressions of one or two variables only"),
        ("", "plot sigmoid to \"/nonexistent-folder/s.svg\" width=40", "option 'width' applies to pictures in the terminal only"),
        ("", "plot t * t to \"/nonexistent-folder/t.svg\" height=10", "option 'height' applies to pictures in the terminal only"),
    ]

    @Test(arguments: inapplicableOptionCases)
    func optionsApplyToTheirPictures(_ testCase: (setup: String, source: String, message: String)) throws {
        #expect(try Self.failure(of: testCase.source, after: testCase.setup) == testCase.message)
    }

    @Test func toBeforeAFileAndToAsTheRange() throws {
        let parsed = Parser.parse("plot sigmoid(x) * 2 to \"f.svg\" from=-3 to=3")
        #expect(parsed.diagnostics.isEmpty)
        guard case .command(let command)? = parsed.statements.first?.kind else {
            Issue.record("not a command")
            return
        }
        #expect(command.positional.count == 3)
        #expect(command.positional[1].bareName == "to")
        #expect(command.options.map(\.name) == ["from", "to"])
        #expect(CommandTable.command(named: "plot")?.synopsis == "plot WHAT [to \"FILE\"] [from=X] [to=X] [width=N] [height=N] [path=P] [paths=[P1, P2, …]] [layer=L] [unit=U] [runs=[NAME, …]]")
        #expect(CommandTable.command(named: "draw")?.synopsis == "draw [to \"FILE\"]")
    }

    @Test func settings() throws {
        let (session, _) = try SessionTests.session(after: "set charset ascii\nset width 100")
        #expect(session.settings.charset == .ascii)
        #expect(session.settings.plotWidth == 100)
    }

    // MARK: - Files

    /// Counts in an SVG file, by python3's XML parser: it fails on a file that is not well formed.
    static func svgCounts(_ path: String) throws -> [String: Int] {
        try SVGTestSupport.counts(in: path, python: """
            groups = [g for g in root.iter(n + 'g') if g.get('class') == 'series']
            print('series', len(groups))
            for i, g in enumerate(groups):
                print('points%d' % i, sum(len(p.get('points').split()) for p in g.iter(n + 'polyline')))
            for kind in ['training', 'test', 'cell', 'weight', 'bias', 'neuron', 'title']:
                print(kind, sum(1 for e in root.iter() if e.get('class') == kind))
            print('texts', sum(1 for e in root.iter(n + 'text')))
            """)
    }

    @Test func lossCurvesAsSVG() throws {
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(folder) }
        let (_, transcript) = try SessionTests.session(after: """
            data xor
            input 2
            layer 3 tanh
            layer 1 sigmoid
            train epochs=25 quiet=true validation=0.5
            plot loss to "\(folder)/loss.svg"
            """)
        #expect(transcript.lines.last == "saved \(folder)/loss.svg")
        let counts = try Self.svgCounts(folder + "/loss.svg")
        #expect(counts["series"] == 2)
        #expect(counts["points0"] == 25)
        #expect(counts["points1"] == 25)
        #expect(counts["title"] == 1)
    }

    @Test func expressionAndMatrixAsSVG() throws {
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(folder) }
        _ = try SessionTests.session(after: mazurProgram + """

            plot sigmoid(x) * 2 from=-3 to=3 to "\(folder)/f.svg"
            plot log(x) to "\(folder)/log.svg"
            plot W1 to "\(folder)/w1.svg"
            """)
        #expect(try Self.svgCounts(folder + "/f.svg")["points0"] == PlotCommand.curveSamples)
        // log has no value for x ≤ 0: those points are left out.
        #expect(try Self.svgCounts(folder + "/log.svg")["points0"] == PlotCommand.curveSamples / 2)
        #expect(try Self.svgCounts(folder + "/w1.svg")["cell"] == 4)
    }

    @Test func decisionRegionsAsSVG() throws {
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(folder) }
        _ = try SessionTests.session(after: """
            data moons n=40 seed=1
            split test=0.25 seed=1
            normalize standard
            input 2
            layer 4 tanh
            layer 1 sigmoid
            plot boundary to "\(folder)/b.svg"
            """)
        let counts = try Self.svgCounts(folder + "/b.svg")
        #expect(counts["training"] == 30)
        #expect(counts["test"] == 10)
    }

    @Test func networkAsDOTAndSVG() throws {
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(folder) }
        let (session, transcript) = try SessionTests.session(after: """
            input 3
            layer 4 relu
            layer 2 softmax
            draw to "\(folder)/net.dot"
            draw to "\(folder)/net.svg"
            """)
        #expect(transcript.lines == ["saved \(folder)/net.dot", "saved \(folder)/net.svg"])
        let network = try #require(session.workspace.network)
        let weights = network.layers.reduce(0) { $0 + $1.weights.count }
        let biases = network.layers.reduce(0) { $0 + $1.biases.count }
        let dot = String(decoding: try FileAccess.readFile(folder + "/net.dot").get(), as: UTF8.self)
        let edges = dot.split(separator: "\n").filter { $0.contains(" -> ") }
        #expect(edges.filter { !$0.contains("class=bias") }.count == weights)
        #expect(edges.filter { $0.contains("class=bias") }.count == biases)
        // One hidden layer: the classic names explain uses.
        #expect(dot.contains("\"i1\" -> \"h1\" [label="))
        #expect(dot.contains("\"bias2\" -> \"o2\" [label="))
        let counts = try Self.svgCounts(folder + "/net.svg")
        #expect(counts["weight"] == weights)
        #expect(counts["neuron"] == 3 + 4 + 2)
    }
}
