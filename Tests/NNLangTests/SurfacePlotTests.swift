import Foundation
import NNEngine
import Testing
@testable import NNLang

/// `plot` of an expression of two variables: the terminal picture to the character, the SVG
/// parsed by python3's XML parser and its elements counted, the contour levels and lines.
@Suite("Surface pictures")
struct SurfacePlotTests {
    @Test func asciiWithAPath() throws {
        let lines = try PlotTests.output(of: """
            set charset ascii
            set width 40
            descend x^2 + 4*y^2 from=[-1.5, 1] optimizer=sgd lr=0.1 steps=10 as=p
            plot x^2 + 4*y^2 from=-2 to=2 height=10 path=p
            """)
        #expect(Array(lines.dropFirst(5)) == [
            "           x ^ 2 + 4 * y ^ 2",
            "y",
            " 2 +MMMMMM&&&&&&&&&&&&&&MMMMMM",
            "   |$$$$$$$////////////$$$$$$$",
            " 1 ++++*++=====----=====++++++",
            "   |+=--*~~~~::::::::~~~~~--=+",
            "   |--~~:*******........::~~--",
            " 0 +--~~::..............::~~--",
            "   |+=--~~~~~::::::::~~~~~--=+",
            "-1 +++++++=====----=====++++++",
            "   |$$$$$$$////////////$$$$$$$",
            "-2 +MMMMMM&&&&&&&&&&&&&&MMMMMM",
            "   ++-----+------+-----+-----+",
            "   -2    -1      0     1     2         x",
            "  value:   0.166 .. 1.2   :: 1.9",
            "  ~~ 3.2   -- 4.1   == 5.1   ++ 7.7",
            "  // 8.8   $$ 12   && 14   MM 16.7",
            "  ** p",
        ])
    }

    /// The width is kept, braille paths are drawn, and a point without a value is a blank cell.
    @Test func unicodeKeepsTheWidthAndLeavesGaps() throws {
        let lines = try PlotTests.output(of: "set width 50\nplot log(x) + y height=8")
        #expect(lines.allSatisfy { $0.count <= 50 })
        // Rows of the canvas: x ≤ 0, the left half, has no value.
        let canvasRows = lines.filter { $0.contains("┤") || $0.contains("│") }
        #expect(canvasRows.count == 8)
        for row in canvasRows {
            let cells = Array(row.drop { $0 != "┤" && $0 != "│" }.dropFirst())
            #expect(cells.prefix(cells.count / 2 - 1).allSatisfy { $0 == " " }, "\(row)")
            #expect(cells.suffix(cells.count / 2 - 1).allSatisfy { $0 != " " }, "\(row)")
        }
    }

    @Test func colourOnlyWhenAllowed() throws {
        let plain = try PlotTests.output(of: "plot x^2 + y^2")
        #expect(!plain.joined().contains("\u{1B}["))
        let (session, transcript) = makeSession()
        session.palette = .ansi
        #expect(session.run(source: "plot x^2 + y^2") == .completed)
        #expect(transcript.lines.joined().contains("\u{1B}[48;5;"))
    }

    /// from=[x0, y0] to=[x1, y1] give each axis its own range; a number gives both the same.
    @Test func rangesPerAxis() throws {
        let lines = try PlotTests.output(of: "set width 60\nplot x + y from=[0, -30] to=[1, 30] height=8")
        #expect(lines.contains { $0.hasPrefix("-20 ┤") } && lines.contains { $0.hasPrefix(" 20 ┤") })
        #expect(lines.contains { $0.hasPrefix("     0") && $0.contains(" 0.5 ") && $0.contains(" 1.0 ") })
    }

    @Test func levelsAndBands() {
        let plot = SurfacePlot(title: "", xLabel: "x", yLabel: "y", x: 0...1, y: 0...1, rows: 1, columns: 101,
                               values: (0...100).map { Double($0) })
        #expect(plot.levels == [10, 20, 30, 40, 50, 60, 70, 80, 90])
        #expect(SurfacePlot.band(of: 5, levels: plot.levels) == 0)
        #expect(SurfacePlot.band(of: 10, levels: plot.levels) == 1)
        #expect(SurfacePlot.band(of: 95, levels: plot.levels) == 9)
        #expect(SurfacePlot.band(of: .nan, levels: plot.levels) == nil)
        #expect(SurfacePlot.rounded(0.012345) == 0.012)
        #expect(SurfacePlot.rounded(1234) == 1200)
        // A flat function has no levels: one band.
        #expect(SurfacePlot(title: "", xLabel: "", yLabel: "", x: 0...1, y: 0...1, rows: 2, columns: 2, values: [1, 1, 1, 1]).levels.isEmpty)
    }

    /// f = column on a 3×3 grid: the contour at 0.5 is the vertical line half way between the
    /// first two columns, one segment per square it crosses; a square with a NaN corner has none.
    @Test func contourByMarchingSquares() {
        var plot = SurfacePlot(title: "", xLabel: "", yLabel: "", x: 0...1, y: 0...1, rows: 3, columns: 3,
                               values: [0, 1, 2, 0, 1, 2, 0, 1, 2])
        let segments = plot.contour(at: 0.5)
        #expect(segments.count == 2)
        for segment in segments {
            #expect(segment.from.column == 0.5 && segment.to.column == 0.5)
            #expect(abs(segment.from.row - segment.to.row) == 1)
        }
        plot.values[0] = .nan
        #expect(plot.contour(at: 0.5).count == 1)
        // A saddle square gives two pieces.
        let saddle = SurfacePlot(title: "", xLabel: "", yLabel: "", x: 0...1, y: 0...1, rows: 2, columns: 2, values: [1, 0, 0, 1])
        #expect(saddle.contour(at: 0.5).count == 2)
    }

    /// Counts in a surface's SVG, by python3's XML parser: it fails on a file that is not well formed.
    static func svgCounts(_ path: String) throws -> [String: Int] {
        try SVGTestSupport.counts(in: path, python: """
            def count(kind): return sum(1 for e in root.iter() if e.get('class') == kind)
            for kind in ['band', 'contour', 'path', 'start', 'end', 'point', 'title', 'colour-bar', 'legend', 'axes', 'ticks', 'x-label', 'y-label']:
                print(kind, count(kind))
            paths = [g for g in root.iter(n + 'g') if g.get('class') == 'path']
            for i, g in enumerate(paths):
                print('points-' + g.get('data-name'), len(list(g.iter(n + 'polyline'))[-1].get('points').split()))
                print('order-' + g.get('data-name'), i)
            bar = [g for g in root.iter(n + 'g') if g.get('class') == 'colour-bar'][0]
            print('bar-labels', len(list(bar.iter(n + 'text'))))
            print('tick-labels', len([t for g in root.iter(n + 'g') if g.get('class') == 'ticks' for t in g.iter(n + 'text')]))
            """)
    }

    @Test func svgWithPathsAndALegend() throws {
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(folder) }
        let (_, transcript) = try SessionTests.session(after: """
            descend x^2 - y^2 from=[-3, 0.1] optimizer=sgd lr=0.05 steps=30 as=a
            descend x^2 - y^2 from=[-3, 0.1] optimizer=adam lr=0.1 steps=40 as=b
            plot x^2 - y^2 from=[-4, -3] to=[4, 3] paths=[a, b] to "\(folder)/s.svg"
            plot log(x) * y to "\(folder)/gaps.svg"
            """)
        #expect(transcript.lines.contains("saved \(folder)/s.svg"))
        let counts = try Self.svgCounts(folder + "/s.svg")
        #expect(counts["title"] == 1)
        #expect(counts["axes"] == 1 && counts["ticks"] == 1 && counts["x-label"] == 1 && counts["y-label"] == 1)
        #expect((counts["tick-labels"] ?? 0) >= 8)
        #expect((counts["band"] ?? 0) >= SVGPlot.surfaceResolution)  // at least one run per row
        #expect(counts["contour"] == 9)
        #expect(counts["bar-labels"] == 11)  // the least value, nine levels, the greatest
        #expect(counts["path"] == 2 && counts["start"] == 2 && counts["end"] == 2)
        #expect(counts["points-a"] == 31 && counts["points-b"] == 41)
        #expect(counts["order-a"] == 1 && counts["order-b"] == 0)  // the first path drawn last, on top
        #expect(counts["point"] == 29 + 39)  // every point between the start and the end
        #expect(counts["legend"] == 1)

        // Without a value for x ≤ 0: no band there, and no legend without paths.
        let gaps = try Self.svgCounts(folder + "/gaps.svg")
        #expect(gaps["legend"] == 0 && gaps["path"] == 0)
        let text = try String(contentsOfFile: folder + "/gaps.svg", encoding: .utf8)
        let xs = text.split(separator: "\n").filter { $0.contains("class=\"band\"") }.compactMap { line -> Double? in
            guard let start = line.range(of: "x=\"")?.upperBound else { return nil }
            return Double(line[start...].prefix { $0 != "\"" })
        }
        #expect(!xs.isEmpty && xs.allSatisfy { $0 >= 80 + 200 - 1e-9 })
    }

    /// On a curve, a one-column path is drawn as a second series of the points (x, f(x)); points
    /// outside the x range are left out.
    @Test func aPathOnACurve() throws {
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(folder) }
        _ = try SessionTests.session(after: """
            descend (t - 1)^2 from=-3 lr=0.25 steps=4
            plot (t - 1)^2 from=-2 to=3 path=path to "\(folder)/c.svg"
            """)
        // The path: -3, -1, 0, 0.5, 0.75; -3 lies outside from=-2.
        let counts = try PlotTests.svgCounts(folder + "/c.svg")
        #expect(counts["series"] == 2)
        #expect(counts["points1"] == 4)
    }

    static let errorCases: [(source: String, message: String)] = [
        ("plot x*y path=[[1, 2, 3]]", "expected a path of two columns, x and y, one row per point (descend keeps one in path), got a 1×3 matrix"),
        ("p = [[1, 2]]\nplot x*y paths=p", "expected a list of paths for paths=, such as [p1, p2], got one value: use path= for one"),
        ("plot x*y from=[1, 2, 3]", "expected a number, or [x, y], for from=, got a vector of 3"),
        ("plot x from=[1, 2]", "expected a number for from=, got a vector of 2"),
        ("plot x*y from=[-1e308, 0] to=[1, 1]", "the range from=-1e308 to=1 is too wide to draw: from and to must lie between -1e307 and 1e307"),
        ("plot x*y from=[0, 2] to=[1, 1]", "from must be less than to=1, got 2"),
        ("plot sigmoid path=[[1, 2]]", "option 'path' applies to expressions of one or two variables only"),
        ("plot x^2 path=[[1, 2]]", "expected a path of one column, x, one row per point (descend keeps one in path), got a 1×2 matrix"),
        ("plot log(x) * log(y) from=-2 to=0", "log of -1.984848485: log of a negative number is undefined"),
    ]

    @Test(arguments: errorCases)
    func errors(_ testCase: (source: String, message: String)) throws {
        let lines = testCase.source.split(separator: "\n").map(String.init)
        #expect(try PlotTests.failure(of: lines.last ?? "", after: lines.dropLast().joined(separator: "\n")) == testCase.message)
    }
}
