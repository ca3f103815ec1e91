/// Writes a picture as a standalone SVG document: title, axes with ticks and labels, the
/// curves, regions or cells, and a legend or colour scale, viewable in any browser as it is.
///
/// Curves are `<g class="series">` groups of polylines (one per unbroken run of points),
/// samples are circles of class `training` or `test`, matrix cells are rects of class `cell`.
enum SVGPlot {
    static let seriesColours = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#17becf"]
    /// Class colours: orange and blue as TensorFlow Playground, then others.
    static let classColours = ["#f59322", "#0877bd", "#2ca02c", "#9467bd", "#d62728", "#17becf"]

    static func render(_ picture: Picture) -> String {
        switch picture {
        case .lines(let plot): return render(plot)
        case .regions(let plot): return render(plot)
        case .matrix(let plot): return render(plot)
        case .surface(let plot): return render(plot)
        case .neurons(let plot): return render(plot)
        }
    }

    /// The grid a region plot is sampled on for SVG, cells per side.
    static let regionResolution = 60

    // MARK: - Lines

    private static func render(_ plot: LinePlot) -> String {
        let frame = Frame(left: 80, top: 50, width: 520, height: 320)
        let bounds = plot.bounds ?? (0...1, 0...1)
        let xScale = AxisScale(covering: plot.xRange ?? bounds.x, widen: false)
        let yScale = AxisScale(covering: bounds.y)
        var document = SVGDocument(width: 640, height: 440, title: plot.title)
        document.axes(frame, x: xScale, y: yScale, xLabel: plot.xLabel, yLabel: plot.yLabel, grid: true)
        var drawn: [(x: Double, y: Double)] = []
        for (index, series) in plot.series.enumerated() {
            let colour = seriesColours[index % seriesColours.count]
            document.add("<g class=\"series\" data-name=\"\(escape(series.name))\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" stroke-linejoin=\"round\">")
            var run: [String] = []
            func flush() {
                if !run.isEmpty { document.add("<polyline points=\"\(run.joined(separator: " "))\"/>") }
                run = []
            }
            for point in series.points {
                guard point.x.isFinite, point.y.isFinite else { flush(); continue }
                let x = frame.x(xScale.fraction(point.x))
                let y = frame.y(yScale.fraction(point.y))
                drawn.append((x, y))
                run.append(number(x) + "," + number(y))
            }
            flush()
            document.add("</g>")
        }
        let entries = plot.series.enumerated().map { index, series in
            (series.name, "<line x1=\"0\" y1=\"0\" x2=\"20\" y2=\"0\" stroke=\"\(seriesColours[index % seriesColours.count])\" stroke-width=\"2\"/>")
        }
        // The corner of the frame that the curves cross least.
        let size = SVGDocument.legendSize(entries.map(\.0))
        let corners = [
            (frame.left + frame.width - size.width - 10, frame.top + 10), (frame.left + 10, frame.top + 10),
            (frame.left + frame.width - size.width - 10, frame.top + frame.height - size.height - 10),
            (frame.left + 10, frame.top + frame.height - size.height - 10),
        ]
        func crossings(_ corner: (Double, Double)) -> Int {
            drawn.filter { $0.x >= corner.0 - 5 && $0.x <= corner.0 + size.width + 5 && $0.y >= corner.1 - 5 && $0.y <= corner.1 + size.height + 5 }.count
        }
        let best = corners.min { crossings($0) < crossings($1) } ?? corners[0]
        document.legend(entries, at: best)
        return document.text
    }

    // MARK: - Regions

    private static func render(_ plot: RegionPlot) -> String {
        let frame = Frame(left: 80, top: 50, width: 400, height: 400)
        let xScale = AxisScale(covering: plot.x, widen: false)
        let yScale = AxisScale(covering: plot.y, widen: false)
        var document = SVGDocument(width: 660, height: 520, title: plot.title)
        let cellWidth = frame.width / Double(plot.columns)
        let cellHeight = frame.height / Double(plot.rows)
        document.add("<g class=\"regions\" shape-rendering=\"crispEdges\">")
        for row in 0..<plot.rows {
            for column in 0..<plot.columns {
                let cell = plot.cells[row * plot.columns + column]
                let colour = mix("#ffffff", classColours[cell.predicted % classColours.count], 0.15 + 0.55 * cell.confidence)
                document.add("<rect x=\"\(number(frame.left + Double(column) * cellWidth))\" y=\"\(number(frame.top + Double(row) * cellHeight))\" width=\"\(number(cellWidth + 0.5))\" height=\"\(number(cellHeight + 0.5))\" fill=\"\(colour)\"/>")
            }
        }
        document.add("</g>")
        document.axes(frame, x: xScale, y: yScale, xLabel: plot.xLabel, yLabel: plot.yLabel, grid: false)
        document.add("<g class=\"samples\">")
        for sample in plot.samples.sorted(by: { !$0.isTest && $1.isTest }) {
            let x = frame.x(xScale.fraction(sample.x))
            let y = frame.y(yScale.fraction(sample.y))
            let colour = classColours[sample.label % classColours.count]
            // As TensorFlow Playground: training samples outlined in white, test samples in black.
            let outline = sample.isTest ? "stroke=\"#000000\" stroke-width=\"1.5\"" : "stroke=\"#ffffff\" stroke-width=\"1\""
            document.add("<circle class=\"\(sample.isTest ? "test" : "training")\" cx=\"\(number(x))\" cy=\"\(number(y))\" r=\"4\" fill=\"\(colour)\" \(outline)/>")
        }
        document.add("</g>")
        var entries: [(String, String)] = plot.classNames.enumerated().map { index, name in
            (name, "<circle cx=\"10\" cy=\"0\" r=\"5\" fill=\"\(classColours[index % classColours.count])\" stroke=\"#ffffff\"/>")
        }
        entries.append(("training", "<circle cx=\"10\" cy=\"0\" r=\"5\" fill=\"#999999\" stroke=\"#ffffff\"/>"))
        if plot.samples.contains(where: \.isTest) {
            entries.append(("test", "<circle cx=\"10\" cy=\"0\" r=\"5\" fill=\"#999999\" stroke=\"#000000\" stroke-width=\"1.5\"/>"))
        }
        document.legend(entries, at: (frame.left + frame.width + 20, frame.top))
        return document.text
    }

    // MARK: - Matrix

    private static func render(_ plot: MatrixPlot) -> String {
        let cellSize = min(40, max(6, 480 / Double(max(plot.rowCount, plot.columnCount, 1))))
        let frame = Frame(left: 70, top: 84, width: cellSize * Double(plot.columnCount), height: cellSize * Double(plot.rowCount))
        let width = max(frame.left + frame.width + 140, Double(plot.title.count) * 10 + 40)
        let height = frame.top + frame.height + 50
        var document = SVGDocument(width: width, height: max(height, 300), title: plot.title)
        let magnitude = plot.magnitude
        let labelEvery = max(1, Int((14 / cellSize).rounded(.up)))
        document.add("<g class=\"cells\" shape-rendering=\"crispEdges\">")
        for (row, values) in plot.values.enumerated() {
            for (column, value) in values.enumerated() {
                let x = frame.left + Double(column) * cellSize
                let y = frame.top + Double(row) * cellSize
                document.add("<rect class=\"cell\" x=\"\(number(x))\" y=\"\(number(y))\" width=\"\(number(cellSize))\" height=\"\(number(cellSize))\" fill=\"\(diverging(value / magnitude))\"><title>[\(row + 1),\(column + 1)] = \(PlotNumber.short(value))</title></rect>")
            }
        }
        document.add("</g>")
        document.add("<rect x=\"\(number(frame.left))\" y=\"\(number(frame.top))\" width=\"\(number(frame.width))\" height=\"\(number(frame.height))\" fill=\"none\" stroke=\"#333333\"/>")
        if cellSize >= 34 {
            for (row, values) in plot.values.enumerated() {
                for (column, value) in values.enumerated() {
                    let x = frame.left + (Double(column) + 0.5) * cellSize
                    let y = frame.top + (Double(row) + 0.5) * cellSize + 4
                    document.add("<text x=\"\(number(x))\" y=\"\(number(y))\" text-anchor=\"middle\" font-size=\"10\">\(escape(PlotNumber.short(value)))</text>")
                }
            }
        }
        for row in stride(from: 0, to: plot.rowCount, by: labelEvery) {
            document.add("<text x=\"\(number(frame.left - 6))\" y=\"\(number(frame.top + (Double(row) + 0.5) * cellSize + 4))\" text-anchor=\"end\">\(row + 1)</text>")
        }
        for column in stride(from: 0, to: plot.columnCount, by: labelEvery) {
            document.add("<text x=\"\(number(frame.left + (Double(column) + 0.5) * cellSize))\" y=\"\(number(frame.top - 6))\" text-anchor=\"middle\">\(column + 1)</text>")
        }
        document.add("<text x=\"\(number(frame.left + frame.width / 2))\" y=\"\(number(frame.top - 24))\" text-anchor=\"middle\" font-style=\"italic\">\(escape(plot.columnLabel))</text>")
        document.add("<text transform=\"translate(\(number(frame.left - 34)),\(number(frame.top + frame.height / 2))) rotate(-90)\" text-anchor=\"middle\" font-style=\"italic\">\(escape(plot.rowLabel))</text>")
        // The colour scale: a bar from −m (orange) through 0 (white) to +m (blue).
        let barX = frame.left + frame.width + 30
        let barHeight = max(120, min(240, frame.height))
        document.add("<defs><linearGradient id=\"scale\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\"><stop offset=\"0\" stop-color=\"\(diverging(-1))\"/><stop offset=\"0.5\" stop-color=\"#ffffff\"/><stop offset=\"1\" stop-color=\"\(diverging(1))\"/></linearGradient></defs>")
        document.add("<g class=\"scale\"><rect x=\"\(number(barX))\" y=\"\(number(frame.top))\" width=\"16\" height=\"\(number(barHeight))\" fill=\"url(#scale)\" stroke=\"#333333\"/>")
        for (fraction, value) in [(0.0, magnitude), (0.5, 0), (1.0, -magnitude)] {
            document.add("<text x=\"\(number(barX + 22))\" y=\"\(number(frame.top + fraction * barHeight + 4))\">\(escape(PlotNumber.short(value)))</text>")
        }
        document.add("</g>")
        return document.text
    }

    // MARK: - Colours and numbers

    /// White at 0, towards orange below and blue above; `t` from −1 to 1.
    static func diverging(_ t: Double) -> String {
        guard t.isFinite else { return "#ffffff" }
        let clamped = min(1, max(-1, t))
        return mix("#ffffff", clamped < 0 ? classColours[0] : classColours[1], abs(clamped))
    }

    /// `from` moved a share `amount` of the way to `to`; both "#rrggbb".
    static func mix(_ from: String, _ to: String, _ amount: Double) -> String {
        func channels(_ hex: String) -> [Int] {
            let digits = Array(hex.dropFirst())
            return stride(from: 0, to: 6, by: 2).map { Int(String(digits[$0...$0 + 1]), radix: 16) ?? 0 }
        }
        let share = min(1, max(0, amount))
        var result = "#"
        for (a, b) in zip(channels(from), channels(to)) {
            let start = Double(a)
            let channel = Int((start + (Double(b) - start) * share).rounded())
            let text = String(channel, radix: 16)
            result += text.count == 1 ? "0" + text : text
        }
        return result
    }

    /// A coordinate to two decimals.
    static func number(_ value: Double) -> String {
        PlotNumber.format(value, decimals: 2)
    }

    /// Text safe inside an element or an attribute.
    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&apos;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}

/// The rectangle a plot's data is drawn in, in SVG units; y grows downwards.
struct Frame {
    var left: Double
    var top: Double
    var width: Double
    var height: Double

    /// The SVG x of a fraction 0…1 of the way across.
    func x(_ fraction: Double) -> Double { left + fraction * width }
    /// The SVG y of a fraction 0…1 of the way up.
    func y(_ fraction: Double) -> Double { top + (1 - fraction) * height }
}

/// An SVG document being written, element by element.
struct SVGDocument {
    private var lines: [String]

    init(width: Double, height: Double, title: String) {
        let w = SVGPlot.number(width)
        let h = SVGPlot.number(height)
        lines = [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(w)\" height=\"\(h)\" viewBox=\"0 0 \(w) \(h)\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">",
            "<title>\(SVGPlot.escape(title))</title>",
            "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>",
            "<text class=\"title\" x=\"\(SVGPlot.number(width / 2))\" y=\"26\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\">\(SVGPlot.escape(title))</text>",
        ]
    }

    mutating func add(_ element: String) {
        lines.append(element)
    }

    var text: String { (lines + ["</svg>"]).joined(separator: "\n") + "\n" }

    /// Both axes of `frame` with their ticks, tick labels and labels, and optionally grid lines.
    mutating func axes(_ frame: Frame, x: AxisScale, y: AxisScale, xLabel: String, yLabel: String, grid: Bool) {
        let n = SVGPlot.number
        add("<g class=\"axes\" stroke=\"#333333\" fill=\"none\">")
        add("<rect x=\"\(n(frame.left))\" y=\"\(n(frame.top))\" width=\"\(n(frame.width))\" height=\"\(n(frame.height))\"/>")
        for tick in x.ticks {
            let px = frame.x(x.fraction(tick))
            if grid { add("<line x1=\"\(n(px))\" y1=\"\(n(frame.top))\" x2=\"\(n(px))\" y2=\"\(n(frame.top + frame.height))\" stroke=\"#e5e5e5\"/>") }
            add("<line x1=\"\(n(px))\" y1=\"\(n(frame.top + frame.height))\" x2=\"\(n(px))\" y2=\"\(n(frame.top + frame.height + 5))\"/>")
        }
        for tick in y.ticks {
            let py = frame.y(y.fraction(tick))
            if grid { add("<line x1=\"\(n(frame.left))\" y1=\"\(n(py))\" x2=\"\(n(frame.left + frame.width))\" y2=\"\(n(py))\" stroke=\"#e5e5e5\"/>") }
            add("<line x1=\"\(n(frame.left - 5))\" y1=\"\(n(py))\" x2=\"\(n(frame.left))\" y2=\"\(n(py))\"/>")
        }
        add("</g>")
        add("<g class=\"ticks\" fill=\"#333333\">")
        for tick in x.ticks {
            add("<text x=\"\(n(frame.x(x.fraction(tick))))\" y=\"\(n(frame.top + frame.height + 19))\" text-anchor=\"middle\">\(SVGPlot.escape(x.label(tick)))</text>")
        }
        for tick in y.ticks {
            add("<text x=\"\(n(frame.left - 8))\" y=\"\(n(frame.y(y.fraction(tick)) + 4))\" text-anchor=\"end\">\(SVGPlot.escape(y.label(tick)))</text>")
        }
        add("</g>")
        add("<text class=\"x-label\" x=\"\(n(frame.left + frame.width / 2))\" y=\"\(n(frame.top + frame.height + 42))\" text-anchor=\"middle\">\(SVGPlot.escape(xLabel))</text>")
        add("<text class=\"y-label\" transform=\"translate(\(n(frame.left - 55)),\(n(frame.top + frame.height / 2))) rotate(-90)\" text-anchor=\"middle\">\(SVGPlot.escape(yLabel))</text>")
    }

    /// The size of a legend box of entries with these names.
    static func legendSize(_ names: [String]) -> (width: Double, height: Double) {
        (44 + Double(names.map(\.count).max() ?? 0) * 7.5, Double(names.count) * 20 + 8)
    }

    /// A legend box: each entry a small drawing (its origin at the entry's left middle) and a name.
    mutating func legend(_ entries: [(name: String, sample: String)], at origin: (x: Double, y: Double)) {
        guard !entries.isEmpty else { return }
        let n = SVGPlot.number
        let size = SVGDocument.legendSize(entries.map(\.name))
        add("<g class=\"legend\" transform=\"translate(\(n(origin.x)),\(n(origin.y)))\">")
        add("<rect width=\"\(n(size.width))\" height=\"\(n(size.height))\" fill=\"#ffffff\" fill-opacity=\"0.85\" stroke=\"#cccccc\"/>")
        for (index, entry) in entries.enumerated() {
            let y = 14 + Double(index) * 20
            add("<g transform=\"translate(8,\(n(y)))\">\(entry.sample)</g>")
            add("<text x=\"34\" y=\"\(n(y + 4))\">\(SVGPlot.escape(entry.name))</text>")
        }
        add("</g>")
    }
}
