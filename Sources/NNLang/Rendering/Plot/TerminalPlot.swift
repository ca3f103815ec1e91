/// Draws a picture as lines of terminal text: a title, a canvas with axes and tick labels, and
/// a legend or scale, `width` columns wide.
struct TerminalPlot {
    var width: Int
    /// Rows of the canvas; nil chooses from the width.
    var height: Int?
    var charset: Charset
    var coloured: Bool

    /// Glyphs for the parts of the axes.
    struct AxisGlyphs {
        var vertical, tick, corner, horizontal, xTick: Character
    }

    var axis: AxisGlyphs {
        charset == .unicode
            ? AxisGlyphs(vertical: "│", tick: "┤", corner: "└", horizontal: "─", xTick: "┬")
            : AxisGlyphs(vertical: "|", tick: "+", corner: "+", horizontal: "-", xTick: "+")
    }

    func render(_ picture: Picture) -> [String] {
        let lines: [String]
        switch picture {
        case .lines(let plot): lines = render(plot)
        case .regions(let plot): lines = render(plot)
        case .matrix(let plot): lines = render(plot)
        case .surface(let plot): lines = render(plot)
        case .neurons(let plot): lines = render(plot)
        }
        // Trailing spaces only get in the way of copying and of comparing.
        return lines.map { line in
            var line = Substring(line)
            while line.last == " " { line = line.dropLast() }
            return String(line)
        }
    }

    /// The canvas size a region plot of this width fills, so the grid is sampled once per cell.
    static func regionCanvasSize(width: Int, height: Int?, labelWidth: Int = 6) -> (columns: Int, rows: Int) {
        let columns = max(10, width - labelWidth - 2 - 6)  // room for the x axis label
        return (columns, height ?? max(8, min(24, columns / 2)))
    }

    // MARK: - Lines

    private func render(_ plot: LinePlot) -> [String] {
        let bounds = plot.bounds ?? (0...1, 0...1)
        let rows = height ?? max(8, min(20, width / 5))
        let xScale = AxisScale(covering: plot.xRange ?? bounds.x, widen: false)
        // A tick every other row at most, so that no two share a row.
        let yScale = AxisScale(covering: bounds.y, tickCount: max(2, min(5, rows / 2 + 1)))
        let yLabels = yScale.ticks.map(yScale.label)
        let labelWidth = max(yLabels.map(\.count).max() ?? 1, 1)
        // Room at the right for half the last tick label and the axis label after it.
        let tickLabelWidth = xScale.ticks.map { xScale.label($0).count }.max() ?? 1
        let reserve = (tickLabelWidth + 1) / 2 + (plot.xLabel.isEmpty ? 0 : plot.xLabel.count + 2)
        let columns = max(10, width - labelWidth - 2 - reserve)
        var canvas = BrailleCanvas(columns: columns, rows: rows, charset: charset)

        // A point past an axis clamped at its largest end is kept within a canvas-width of the
        // edge, so that its pixel is a small Int and a line to it is short.
        func pixel(_ point: LinePlot.Point) -> (x: Int, y: Int) {
            let (width, height) = (Double(canvas.pixelWidth - 1), Double(canvas.pixelHeight - 1))
            let x = min(max(xScale.fraction(point.x), -1), 2) * width
            let y = (1 - min(max(yScale.fraction(point.y), -1), 2)) * height
            return (Int(x.rounded()), Int(y.rounded()))
        }
        for (index, series) in plot.series.enumerated() {
            let pixels = series.points.map { $0.x.isFinite && $0.y.isFinite ? pixel($0) : nil }
            canvas.drawSeries(pixels, series: index, dotted: !coloured && charset == .unicode && index % 2 == 1)
        }

        var lines = [centred(plot.title)]
        if !plot.yLabel.isEmpty { lines.append(plot.yLabel) }
        let dotsPerRow = charset == .unicode ? 4 : 1
        var tickRows: [Int: String] = [:]
        for (tick, label) in zip(yScale.ticks, yLabels) {
            let row = Int(((1 - yScale.fraction(tick)) * Double(canvas.pixelHeight - 1)).rounded()) / dotsPerRow
            if tickRows[row] == nil { tickRows[row] = label }
        }
        for row in 0..<rows {
            let label = tickRows[row].map { padLeft($0, labelWidth) } ?? String(repeating: " ", count: labelWidth)
            lines.append(label + " " + String(tickRows[row] == nil ? axis.vertical : axis.tick) + canvas.line(row, coloured: coloured))
        }
        lines += xAxis(xScale, columns: columns, pixelWidth: canvas.pixelWidth, labelWidth: labelWidth, xLabel: plot.xLabel)
        lines += legend(plot.series.map(\.name))
        return lines
    }

    /// The x axis under a canvas and its tick labels, the axis label at the right.
    func xAxis(_ scale: AxisScale, columns: Int, pixelWidth: Int, labelWidth: Int, xLabel: String) -> [String] {
        let dotsPerColumn = pixelWidth / columns
        var axisLine = Array(repeating: axis.horizontal, count: columns)
        var labelLine = Array(repeating: Character(" "), count: columns + labelWidth + 2)
        var freeFrom = 0
        for tick in scale.ticks {
            let column = Int((scale.fraction(tick) * Double(pixelWidth - 1)).rounded()) / dotsPerColumn
            guard column >= 0, column < columns else { continue }
            axisLine[column] = axis.xTick
            let label = Array(scale.label(tick))
            let start = min(max(labelWidth + 2 + column - label.count / 2, freeFrom), labelLine.count - label.count)
            guard start >= freeFrom else { continue }  // would overlap the label before
            labelLine.replaceSubrange(start..<(start + label.count), with: label)
            freeFrom = start + label.count + 1
        }
        var labels = String(labelLine)
        while labels.last == " " { labels.removeLast() }
        var lines = [String(repeating: " ", count: labelWidth + 1) + String(axis.corner) + String(axisLine)]
        // The axis label at the right of the tick labels, or under them when it does not fit.
        let gap = width - labels.count - xLabel.count
        if xLabel.isEmpty || gap >= 2 {
            lines.append(xLabel.isEmpty ? labels : labels + String(repeating: " ", count: gap) + xLabel)
        } else {
            lines += [labels, String(repeating: " ", count: max(0, width - xLabel.count)) + fitted(xLabel)]
        }
        return lines
    }

    /// One entry per series: a sample of its line (its colour, its ASCII mark or, without
    /// colour, solid or dotted) and its name.
    func legend(_ names: [String]) -> [String] {
        var entries: [(String, Int)] = []
        for (index, name) in names.enumerated() {
            var sample: String
            if charset == .ascii {
                let mark = BrailleCanvas.asciiSeriesMarks[index % BrailleCanvas.asciiSeriesMarks.count]
                sample = String(repeating: String(mark), count: 2)
            } else {
                sample = !coloured && index % 2 == 1 ? "┅┅" : "━━"
            }
            if coloured {
                sample = "\u{1B}[38;5;\(BrailleCanvas.seriesColours[index % BrailleCanvas.seriesColours.count])m\(sample)\u{1B}[0m"
            }
            entries.append((sample + " " + name, 3 + name.count))
        }
        return packed(entries)
    }

    /// Entries of a legend, as many to a line as fit in the width: each entry's text and how
    /// many columns it takes (its colour codes take none).
    func packed(_ entries: [(text: String, columns: Int)]) -> [String] {
        var lines: [String] = []
        var line = ""
        var used = 0
        for entry in entries {
            if used > 0, used + 3 + entry.columns > width {
                lines.append(line)
                (line, used) = ("", 0)
            }
            line += (used == 0 ? "  " : "   ") + entry.text
            used += (used == 0 ? 2 : 3) + entry.columns
        }
        return lines + [line]
    }

    /// Text cut to the width, so that no line of a picture is wider than asked for.
    private func fitted(_ text: String) -> String {
        guard text.count > width else { return text }
        return String(text.prefix(max(1, width - 3))) + (charset == .unicode ? "…" : "...")
    }

    // MARK: - Regions

    /// Fill glyphs by class, for when there is no colour.
    private var classFills: [Character] {
        charset == .unicode ? ["·", "░", "▒", "▓", "∶", "≈"] : [".", ":", "-", "=", "~", "'"]
    }

    /// Sample markers by class: training samples, then held-out test samples.
    var trainingMarks: [Character] { charset == .unicode ? ["●", "▲", "■", "◆", "★", "✚"] : ["o", "x", "+", "*", "v", "z"] }
    var testMarks: [Character] { charset == .unicode ? ["○", "△", "□", "◇", "☆", "✛"] : ["O", "X", "#", "@", "V", "Z"] }

    /// Background colours by class, faint to strong: orange, blue (as TensorFlow Playground),
    /// then green, purple, red, teal.
    static let classColourRamps: [[Int]] = [
        [230, 223, 216, 215, 209], [195, 153, 117, 75, 33], [194, 157, 120, 114, 71],
        [225, 183, 177, 141, 98], [224, 217, 210, 203, 160], [195, 159, 123, 80, 37],
    ]

    private func render(_ plot: RegionPlot) -> [String] {
        let columns = plot.columns
        let rows = plot.rows
        let xScale = AxisScale(covering: plot.x, widen: false)
        let yScale = AxisScale(covering: plot.y, tickCount: max(2, min(5, rows / 2 + 1)), widen: false)
        let yLabels = yScale.ticks.map(yScale.label)
        let labelWidth = max(yLabels.map(\.count).max() ?? 1, 1)
        var canvas = BrailleCanvas(columns: columns, rows: rows, charset: .ascii)
        for row in 0..<rows {
            for column in 0..<columns {
                let cell = plot.cells[row * columns + column]
                let ramp = TerminalPlot.classColourRamps[cell.predicted % TerminalPlot.classColourRamps.count]
                let level = min(ramp.count - 1, Int(cell.confidence * Double(ramp.count)))
                // Near the boundary the plain picture leaves a gap, so the boundary shows as a line.
                let glyph = cell.confidence < 0.2 ? " " : classFills[cell.predicted % classFills.count]
                canvas.setFill(column: column, row: row, glyph, colour: ramp[level])
            }
        }
        // Test samples last, so that they show where they overlap training ones.
        for sample in plot.samples.sorted(by: { !$0.isTest && $1.isTest }) {
            let column = min(columns - 1, max(0, Int(((sample.x - plot.x.lowerBound) / (plot.x.upperBound - plot.x.lowerBound) * Double(columns)))))
            let row = min(rows - 1, max(0, Int((plot.y.upperBound - sample.y) / (plot.y.upperBound - plot.y.lowerBound) * Double(rows))))
            let marks = sample.isTest ? testMarks : trainingMarks
            canvas.setGlyph(column: column, row: row, marks[sample.label % marks.count], colour: sample.isTest ? 231 : 16)
        }

        var lines = framedCells(canvas, title: plot.title, yLabel: plot.yLabel, y: plot.y, yScale: yScale, yLabels: yLabels,
                                labelWidth: labelWidth)
        lines += xAxis(xScale, columns: columns, pixelWidth: columns, labelWidth: labelWidth, xLabel: plot.xLabel)
        var entries: [(String, Int)] = []
        let hasTest = plot.samples.contains(where: \.isTest)
        for (index, name) in plot.classNames.enumerated() {
            let training = trainingMarks[index % trainingMarks.count]
            let test = testMarks[index % testMarks.count]
            let fill = coloured
                ? "\u{1B}[48;5;\(TerminalPlot.classColourRamps[index % TerminalPlot.classColourRamps.count][3])m  \u{1B}[0m"
                : String(repeating: String(classFills[index % classFills.count]), count: 2)
            let text = "\(fill) \(training)" + (hasTest ? "/\(test)" : "") + " \(name)"
            entries.append((text, (hasTest ? 6 : 4) + name.count))
        }
        let testNote = charset == .unicode ? "(hollow marks: test samples)" : "(capitals: test samples)"
        if hasTest { entries.append((testNote, testNote.count)) }
        lines += packed(entries)
        return lines
    }

    // MARK: - Matrix

    /// Glyphs from the most negative to the most positive, for when there is no colour.
    private var divergingGlyphs: [Character] {
        charset == .unicode ? ["▓", "▒", "░", " ", "·", "•", "●"] : ["=", "-", "'", " ", ".", "+", "#"]
    }

    /// Background colours from the most negative (orange) to the most positive (blue).
    static let divergingColours = [202, 215, 223, 255, 153, 75, 27]

    /// The level, 0 to 6, of a value on a scale symmetric about 0.
    private static func level(_ value: Double, magnitude: Double) -> Int {
        guard value.isFinite else { return 3 }
        return min(6, max(0, Int(((value / magnitude + 1) / 2 * 6).rounded())))
    }

    private func cell(_ level: Int, width: Int) -> String {
        if coloured { return "\u{1B}[48;5;\(TerminalPlot.divergingColours[level])m" + String(repeating: " ", count: width) + "\u{1B}[0m" }
        return String(repeating: String(divergingGlyphs[level]), count: width)
    }

    private func render(_ plot: MatrixPlot) -> [String] {
        let rowLabelWidth = max(String(plot.rowCount).count, 1)
        let available = max(1, width - rowLabelWidth - 3)
        let cellWidth = min(6, max(1, available / max(1, plot.columnCount)))
        let shownColumns = min(plot.columnCount, available / cellWidth)
        let shownRows = min(plot.rowCount, height ?? 40)
        let magnitude = plot.magnitude
        var lines = [centred(plot.title, within: min(width, rowLabelWidth + 3 + shownColumns * cellWidth))]
        // Column numbers, every one that fits.
        var header = Array(repeating: Character(" "), count: rowLabelWidth + 2 + shownColumns * cellWidth)
        var freeFrom = 0
        for column in 0..<shownColumns {
            let label = Array(String(column + 1))
            let start = rowLabelWidth + 2 + column * cellWidth + (cellWidth - label.count) / 2
            guard start >= freeFrom, start + label.count <= header.count else { continue }
            header.replaceSubrange(start..<(start + label.count), with: label)
            freeFrom = start + label.count + 1
        }
        let headerText = String(header)
        lines.append(headerText.count + 3 + plot.columnLabel.count <= width ? headerText + "   " + plot.columnLabel : headerText)
        for row in 0..<shownRows {
            var line = padLeft(String(row + 1), rowLabelWidth) + " " + String(axis.vertical)
            for column in 0..<shownColumns {
                line += cell(TerminalPlot.level(plot.values[row][column], magnitude: magnitude), width: cellWidth)
            }
            lines.append(line + String(axis.vertical))
        }
        lines.append(padLeft(plot.rowLabel, rowLabelWidth + 2))
        if shownRows < plot.rowCount || shownColumns < plot.columnCount {
            lines.append("  (showing rows 1-\(shownRows) of \(plot.rowCount), columns 1-\(shownColumns) of \(plot.columnCount))")
        }
        let scale = (0...6).map { cell($0, width: 2) }.joined()
        lines.append("  scale  \(PlotNumber.short(-magnitude)) \(scale) \(PlotNumber.short(magnitude))")
        return lines
    }

    // MARK: - Text

    /// A picture of one cell per grid point over the range `y`: its title, the y label, then each
    /// row of `canvas` behind the y axis, a tick and its label at the row of each tick.
    func framedCells(_ canvas: BrailleCanvas, title: String, yLabel: String, y: ClosedRange<Double>, yScale: AxisScale,
                     yLabels: [String], labelWidth: Int) -> [String] {
        var lines = [centred(title)]
        if !yLabel.isEmpty { lines.append(yLabel) }
        var tickRows: [Int: String] = [:]
        for (tick, label) in zip(yScale.ticks, yLabels) {
            let row = min(canvas.rows - 1, Int((y.upperBound - tick) / (y.upperBound - y.lowerBound) * Double(canvas.rows)))
            if tickRows[row] == nil { tickRows[row] = label }
        }
        for row in 0..<canvas.rows {
            let label = tickRows[row].map { padLeft($0, labelWidth) } ?? String(repeating: " ", count: labelWidth)
            lines.append(label + " " + String(tickRows[row] == nil ? axis.vertical : axis.tick) + canvas.line(row, coloured: coloured))
        }
        return lines
    }

    func centred(_ text: String, within width: Int? = nil) -> String {
        let pad = max(0, ((width ?? self.width) - text.count) / 2)
        // Titles may hold a shape, "2×3": ASCII writes it "2x3".
        let shown = charset == .ascii ? text.replacingOccurrences(of: "×", with: "x") : text
        return String(repeating: " ", count: pad) + fitted(shown)
    }

    func padLeft(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}

extension String {
    /// The string with every `target` character replaced (Foundation's, without Foundation).
    fileprivate func replacingOccurrences(of target: Character, with replacement: String) -> String {
        var result = ""
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}
