/// A function of two variables in the terminal: one cell per sample, filled by its band between
/// contour levels (a colour, or without colour a glyph from sparse to dense), so that the
/// bands' edges are the contour lines; optimizer paths drawn over it as lines.
extension TerminalPlot {
    /// Background colours of the bands, low to high: a pale viridis (xterm 256-colour numbers).
    static let surfaceColours = [96, 97, 103, 67, 73, 72, 114, 150, 186, 228]

    /// Fill glyphs of the bands, sparse (low) to dense (high), for when there is no colour.
    private var surfaceGlyphs: [Character] {
        charset == .unicode ? ["·", "∶", "∴", "∷", "⁘", "⁙", "░", "▒", "▓", "█"] : [".", ":", "~", "-", "=", "+", "/", "$", "&", "M"]
    }

    /// The index into a list of `count` of band `band` of `bands`, spread over the list.
    private static func spread(_ band: Int, of bands: Int, over count: Int) -> Int {
        guard bands > 1 else { return 0 }
        return min(count - 1, max(0, Int((Double(band) / Double(bands - 1) * Double(count - 1)).rounded())))
    }

    func render(_ plot: SurfacePlot) -> [String] {
        let columns = plot.columns
        let rows = plot.rows
        let xScale = AxisScale(covering: plot.x, widen: false)
        let yScale = AxisScale(covering: plot.y, tickCount: max(2, min(5, rows / 2 + 1)), widen: false)
        let yLabels = yScale.ticks.map(yScale.label)
        let labelWidth = max(yLabels.map(\.count).max() ?? 1, 1)
        let levels = plot.levels
        let bands = levels.count + 1
        let glyphs = surfaceGlyphs
        var canvas = BrailleCanvas(columns: columns, rows: rows, charset: charset)
        for row in 0..<rows {
            for column in 0..<columns {
                // A value that is not finite leaves the cell empty: a gap.
                guard let band = SurfacePlot.band(of: plot.value(row: row, column: column), levels: levels) else { continue }
                canvas.setFill(column: column, row: row, glyphs[Self.spread(band, of: bands, over: glyphs.count)],
                               colour: TerminalPlot.surfaceColours[Self.spread(band, of: bands, over: TerminalPlot.surfaceColours.count)])
            }
        }
        // A point far outside is kept within a canvas-width of the edge, so a line to it is short.
        func pixel(_ point: LinePlot.Point) -> (x: Int, y: Int) {
            let x = min(max((point.x - plot.x.lowerBound) / (plot.x.upperBound - plot.x.lowerBound), -1), 2) * Double(canvas.pixelWidth)
            let y = min(max((plot.y.upperBound - point.y) / (plot.y.upperBound - plot.y.lowerBound), -1), 2) * Double(canvas.pixelHeight)
            return (Int(x.rounded(.down)), Int(y.rounded(.down)))
        }
        // The first path on top, as in SVG.
        for (index, path) in plot.paths.enumerated().reversed() {
            let pixels = path.points.map { $0.x.isFinite && $0.y.isFinite ? pixel($0) : nil }
            canvas.drawSeries(pixels, series: index, dotted: !coloured && charset == .unicode && index % 2 == 1)
        }

        var lines = framedCells(canvas, title: plot.title, yLabel: plot.yLabel, y: plot.y, yScale: yScale, yLabels: yLabels,
                                labelWidth: labelWidth)
        lines += xAxis(xScale, columns: columns, pixelWidth: canvas.pixelWidth, labelWidth: labelWidth, xLabel: plot.xLabel)

        // The scale: each band's fill with the levels between them, from the least value to the greatest.
        let finite = plot.values.filter(\.isFinite)
        if let low = finite.min(), let high = finite.max() {
            var entries: [(String, Int)] = []
            for band in 0..<bands {
                let fill = coloured
                    ? "\u{1B}[48;5;\(TerminalPlot.surfaceColours[Self.spread(band, of: bands, over: TerminalPlot.surfaceColours.count)])m  \u{1B}[0m"
                    : String(repeating: String(glyphs[Self.spread(band, of: bands, over: glyphs.count)]), count: 2)
                let before = band == 0 ? PlotNumber.short(low) + " " : ""
                let after = " " + PlotNumber.short(band < levels.count ? levels[band] : high)
                entries.append((before + fill + after, before.count + 2 + after.count))
            }
            lines += packed([("value:", 6)] + entries)
        }
        if !plot.paths.isEmpty { lines += legend(plot.paths.map(\.name)) }
        return lines
    }
}
