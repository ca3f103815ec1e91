/// A function of two variables as SVG: bands of colour between contour levels (rects of class
/// `band`, a row's neighbours of one band merged), the contour lines (`<path class="contour">`,
/// one per level), a colour bar labelled at the levels, and each optimizer path
/// (`<g class="path">`: a polyline, a hollow circle at the start and a filled one at the end,
/// a dot at every point between of a path of at most `pathPointLimit` points) with a legend.
extension SVGPlot {
    /// The sequential colours of the bands, low to high: viridis, paled so that paths drawn
    /// over it stand out.
    static let surfaceColours = ["#440154", "#482878", "#3e4989", "#31688e", "#26828e", "#1f9e89", "#35b779", "#6ece58", "#b5de2b", "#fde725"]
        .map { mix($0, "#ffffff", 0.45) }

    /// The most points a path may have for each to be marked.
    static let pathPointLimit = 100

    /// The grid a surface is sampled on for SVG, cells per side.
    static let surfaceResolution = 100

    /// The colour of band `band` of `count`, spread over the whole palette.
    static func surfaceColour(band: Int, of count: Int) -> String {
        let index = count <= 1 ? 0 : Int((Double(band) / Double(count - 1) * Double(surfaceColours.count - 1)).rounded())
        return surfaceColours[min(max(index, 0), surfaceColours.count - 1)]
    }

    static func render(_ plot: SurfacePlot) -> String {
        let n = number
        let frame = Frame(left: 80, top: 50, width: 400, height: 400)
        let xScale = AxisScale(covering: plot.x, widen: false)
        let yScale = AxisScale(covering: plot.y, widen: false)
        var document = SVGDocument(width: 700, height: 520, title: plot.title)
        let levels = plot.levels
        let bandCount = levels.count + 1
        let cellWidth = frame.width / Double(plot.columns)
        let cellHeight = frame.height / Double(plot.rows)

        document.add("<g class=\"bands\" shape-rendering=\"crispEdges\">")
        for row in 0..<plot.rows {
            var column = 0
            while column < plot.columns {
                guard let band = SurfacePlot.band(of: plot.value(row: row, column: column), levels: levels) else { column += 1; continue }
                var end = column + 1
                while end < plot.columns, SurfacePlot.band(of: plot.value(row: row, column: end), levels: levels) == band { end += 1 }
                let x = frame.left + Double(column) * cellWidth
                let y = frame.top + Double(row) * cellHeight
                document.add("<rect class=\"band\" x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(Double(end - column) * cellWidth + 0.5))\" height=\"\(n(cellHeight + 0.5))\" fill=\"\(surfaceColour(band: band, of: bandCount))\"/>")
                column = end
            }
        }
        document.add("</g>")

        // Grid coordinates are of the samples, at the centres of the cells.
        func point(_ column: Double, _ row: Double) -> String {
            n(frame.left + (column + 0.5) * cellWidth) + "," + n(frame.top + (row + 0.5) * cellHeight)
        }
        document.add("<g class=\"contours\" fill=\"none\" stroke=\"#333333\" stroke-opacity=\"0.55\" stroke-width=\"0.8\">")
        for level in levels {
            let segments = plot.contour(at: level)
            guard !segments.isEmpty else { continue }
            let d = segments.map { "M" + point($0.from.column, $0.from.row) + "L" + point($0.to.column, $0.to.row) }.joined()
            document.add("<path class=\"contour\" data-level=\"\(escape(PlotNumber.short(level)))\" d=\"\(d)\"/>")
        }
        document.add("</g>")
        document.axes(frame, x: xScale, y: yScale, xLabel: plot.xLabel, yLabel: plot.yLabel, grid: false)

        // Paths: clipped to the frame, each with a white edge so that it shows on any band.
        document.add("<defs><clipPath id=\"frame\"><rect x=\"\(n(frame.left))\" y=\"\(n(frame.top))\" width=\"\(n(frame.width))\" height=\"\(n(frame.height))\"/></clipPath></defs>")
        // The first path on top: lists start with the plainest method, whose short path the others would hide.
        for (index, path) in plot.paths.enumerated().reversed() {
            let colour = seriesColours[index % seriesColours.count]
            let shown = path.points.filter { $0.x.isFinite && $0.y.isFinite }
            // Far outside, a point is drawn at a bounded distance so its coordinates stay printable.
            let coordinates = shown.map { p in
                (frame.x(min(max(xScale.fraction(p.x), -10), 11)), frame.y(min(max(yScale.fraction(p.y), -10), 11)))
            }
            document.add("<g class=\"path\" data-name=\"\(escape(path.name))\" clip-path=\"url(#frame)\">")
            let points = coordinates.map { n($0.0) + "," + n($0.1) }.joined(separator: " ")
            document.add("<polyline points=\"\(points)\" fill=\"none\" stroke=\"#ffffff\" stroke-width=\"4\" stroke-linejoin=\"round\" stroke-opacity=\"0.8\"/>")
            document.add("<polyline points=\"\(points)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" stroke-linejoin=\"round\"/>")
            // A short path shows each point, so that the length of each step can be seen.
            if coordinates.count <= Self.pathPointLimit {
                for point in coordinates.dropFirst().dropLast() {
                    document.add("<circle class=\"point\" cx=\"\(n(point.0))\" cy=\"\(n(point.1))\" r=\"2\" fill=\"\(colour)\"/>")
                }
            }
            if let first = coordinates.first, let last = coordinates.last {
                document.add("<circle class=\"start\" cx=\"\(n(first.0))\" cy=\"\(n(first.1))\" r=\"4.5\" fill=\"#ffffff\" stroke=\"\(colour)\" stroke-width=\"2\"/>")
                document.add("<circle class=\"end\" cx=\"\(n(last.0))\" cy=\"\(n(last.1))\" r=\"4.5\" fill=\"\(colour)\" stroke=\"#ffffff\" stroke-width=\"1.5\"/>")
            }
            document.add("</g>")
        }

        // The colour bar: one equal step per band, labelled at the levels between them.
        let barX = frame.left + frame.width + 24
        let barHeight = 240.0
        let step = barHeight / Double(bandCount)
        document.add("<g class=\"colour-bar\">")
        for band in 0..<bandCount {
            let y = frame.top + barHeight - Double(band + 1) * step
            document.add("<rect x=\"\(n(barX))\" y=\"\(n(y))\" width=\"16\" height=\"\(n(step + 0.5))\" fill=\"\(surfaceColour(band: band, of: bandCount))\"/>")
        }
        document.add("<rect x=\"\(n(barX))\" y=\"\(n(frame.top))\" width=\"16\" height=\"\(n(barHeight))\" fill=\"none\" stroke=\"#333333\"/>")
        let finite = plot.values.filter(\.isFinite)
        let ends = [finite.min(), finite.max()]
        var labels: [(Double, String)] = levels.enumerated().map { (frame.top + barHeight - Double($0.offset + 1) * step, PlotNumber.short($0.element)) }
        if let low = ends[0], let high = ends[1] {
            labels = [(frame.top + barHeight, PlotNumber.short(low))] + labels + [(frame.top, PlotNumber.short(high))]
        }
        for (y, label) in labels {
            document.add("<line x1=\"\(n(barX + 16))\" y1=\"\(n(y))\" x2=\"\(n(barX + 20))\" y2=\"\(n(y))\" stroke=\"#333333\"/>")
            document.add("<text x=\"\(n(barX + 23))\" y=\"\(n(y + 4))\">\(escape(label))</text>")
        }
        document.add("</g>")
        let entries = plot.paths.enumerated().map { index, path in
            (path.name, "<line x1=\"0\" y1=\"0\" x2=\"20\" y2=\"0\" stroke=\"\(seriesColours[index % seriesColours.count])\" stroke-width=\"2\"/>")
        }
        document.legend(entries, at: (barX - 4, frame.top + barHeight + 24))
        return document.text
    }
}
