/// Neuron maps as SVG: a column of small maps per layer (`<g class="layer">` holding one
/// `<g class="map">` per unit), or one map large with axes; cells are rects of class `cell`,
/// samples circles of class `training` or `test`, as in the decision-region picture.
extension SVGPlot {
    /// The grid a small map is sampled on for SVG, cells per side.
    static let neuronMapResolution = 24

    static func render(_ plot: NeuronMapPlot) -> String {
        plot.isSingle ? renderSingle(plot) : renderGrid(plot)
    }

    /// The cells and samples of one map in `frame`.
    private static func add(_ map: NeuronMapPlot.Map, of layer: NeuronMapPlot.Layer, _ plot: NeuronMapPlot, in frame: Frame,
                            radius: Double, to document: inout SVGDocument) {
        let cellWidth = frame.width / Double(plot.columns)
        let cellHeight = frame.height / Double(plot.rows)
        document.add("<g class=\"cells\" shape-rendering=\"crispEdges\">")
        for row in 0..<plot.rows {
            for column in 0..<plot.columns {
                let value = map.values[row * plot.columns + column]
                document.add("<rect class=\"cell\" x=\"\(number(frame.left + Double(column) * cellWidth))\" y=\"\(number(frame.top + Double(row) * cellHeight))\" width=\"\(number(cellWidth + 0.4))\" height=\"\(number(cellHeight + 0.4))\" fill=\"\(diverging(NeuronMapPlot.share(value, in: layer)))\"/>")
            }
        }
        document.add("</g>")
        document.add("<g class=\"samples\">")
        for sample in plot.samples.sorted(by: { !$0.isTest && $1.isTest }) {
            let x = frame.left + (sample.x - plot.x.lowerBound) / (plot.x.upperBound - plot.x.lowerBound) * frame.width
            let y = frame.top + (plot.y.upperBound - sample.y) / (plot.y.upperBound - plot.y.lowerBound) * frame.height
            let colour = classColours[sample.label % classColours.count]
            let outline = sample.isTest ? "stroke=\"#000000\" stroke-width=\"\(number(radius / 3))\"" : "stroke=\"#ffffff\" stroke-width=\"\(number(radius / 4))\""
            document.add("<circle class=\"\(sample.isTest ? "test" : "training")\" cx=\"\(number(x))\" cy=\"\(number(y))\" r=\"\(number(radius))\" fill=\"\(colour)\" \(outline)/>")
        }
        document.add("</g>")
        document.add("<rect x=\"\(number(frame.left))\" y=\"\(number(frame.top))\" width=\"\(number(frame.width))\" height=\"\(number(frame.height))\" fill=\"none\" stroke=\"#333333\"/>")
    }

    /// A vertical colour bar from orange (low) through white to blue (high), labelled at the
    /// ends with `low` and `high`.
    private static func scaleBar(at origin: (x: Double, y: Double), height: Double, low: String, high: String, id: String,
                                 to document: inout SVGDocument) {
        document.add("<defs><linearGradient id=\"\(id)\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\"><stop offset=\"0\" stop-color=\"\(diverging(-1))\"/><stop offset=\"0.5\" stop-color=\"#ffffff\"/><stop offset=\"1\" stop-color=\"\(diverging(1))\"/></linearGradient></defs>")
        document.add("<g class=\"scale\"><rect x=\"\(number(origin.x))\" y=\"\(number(origin.y))\" width=\"16\" height=\"\(number(height))\" fill=\"url(#\(id))\" stroke=\"#333333\"/>")
        document.add("<text x=\"\(number(origin.x + 22))\" y=\"\(number(origin.y + 4))\">\(escape(high))</text>")
        document.add("<text x=\"\(number(origin.x + 22))\" y=\"\(number(origin.y + height + 4))\">\(escape(low))</text>")
        document.add("</g>")
    }

    private static func classLegend(_ plot: NeuronMapPlot) -> [(String, String)] {
        var entries: [(String, String)] = plot.classNames.enumerated().map { index, name in
            (name, "<circle cx=\"10\" cy=\"0\" r=\"5\" fill=\"\(classColours[index % classColours.count])\" stroke=\"#ffffff\"/>")
        }
        if plot.samples.contains(where: \.isTest) {
            entries.append(("test", "<circle cx=\"10\" cy=\"0\" r=\"5\" fill=\"#999999\" stroke=\"#000000\" stroke-width=\"1.5\"/>"))
        }
        return entries
    }

    private static func renderGrid(_ plot: NeuronMapPlot) -> String {
        let tile = 110.0
        let columnGap = 36.0
        let label = 18.0
        let rowGap = 12.0
        let left = 30.0
        let top = 78.0
        let tallest = plot.layers.map(\.maps.count).max() ?? 1
        let mapsWidth = Double(plot.layers.count) * tile + Double(plot.layers.count - 1) * columnGap
        let legendWidth = SVGDocument.legendSize(classLegend(plot).map(\.0)).width
        let width = max(left + mapsWidth + 40 + legendWidth + 20, Double(plot.title.count) * 9 + 40)
        let height = max(top + Double(tallest) * (tile + label + rowGap) + 20, top + 260)
        var document = SVGDocument(width: width, height: height, title: plot.title)
        for (index, layer) in plot.layers.enumerated() {
            let x = left + Double(index) * (tile + columnGap)
            document.add("<g class=\"layer\" data-name=\"\(escape(layer.heading))\">")
            document.add("<text x=\"\(number(x + tile / 2))\" y=\"52\" text-anchor=\"middle\" font-weight=\"bold\">\(escape(layer.heading))</text>")
            document.add("<text x=\"\(number(x + tile / 2))\" y=\"67\" text-anchor=\"middle\" fill=\"#666666\">\(escape(NeuronMapPlot.rangeText(layer)))</text>")
            for (row, map) in layer.maps.enumerated() {
                let y = top + Double(row) * (tile + label + rowGap)
                document.add("<g class=\"map\" data-name=\"\(escape(map.name))\">")
                document.add("<text x=\"\(number(x))\" y=\"\(number(y + 13))\">\(escape(map.name))</text>")
                add(map, of: layer, plot, in: Frame(left: x, top: y + label, width: tile, height: tile), radius: 1.8, to: &document)
                document.add("</g>")
            }
            document.add("</g>")
        }
        let legendX = left + mapsWidth + 40
        scaleBar(at: (legendX, top + 18), height: 110, low: "low", high: "high", id: "neuron-scale", to: &document)
        document.legend(classLegend(plot), at: (legendX, top + 150))
        return document.text
    }

    private static func renderSingle(_ plot: NeuronMapPlot) -> String {
        let layer = plot.layers[0]
        let frame = Frame(left: 80, top: 50, width: 400, height: 400)
        var document = SVGDocument(width: 660, height: 520, title: plot.title)
        add(layer.maps[0], of: layer, plot, in: frame, radius: 4, to: &document)
        document.axes(frame, x: AxisScale(covering: plot.x, widen: false), y: AxisScale(covering: plot.y, widen: false),
                      xLabel: plot.xLabel, yLabel: plot.yLabel, grid: false)
        let low = PlotNumber.short(layer.centre - layer.magnitude)
        let high = PlotNumber.short(layer.centre + layer.magnitude)
        scaleBar(at: (frame.left + frame.width + 20, frame.top), height: 200, low: low, high: high, id: "neuron-scale", to: &document)
        document.legend(classLegend(plot), at: (frame.left + frame.width + 20, frame.top + 230))
        return document.text
    }
}
