import NNEngine

/// Every neuron's view of the input plane: for a network on two inputs, each hidden and output
/// unit's activation over a grid of the plane, as TensorFlow Playground's hidden-unit tiles, in
/// a column per layer, with the samples drawn over each map. One map alone (`plot boundary
/// layer=L unit=U`) is drawn large, with axes.
struct NeuronMapPlot: Equatable, Sendable {
    var title: String
    var xLabel: String
    var yLabel: String
    var x: ClosedRange<Double>
    var y: ClosedRange<Double>
    /// Each map's grid: rows × columns cells, the first row at the top (the largest y).
    var rows: Int
    var columns: Int
    var layers: [Layer]
    var samples: [RegionPlot.Sample]
    var classNames: [String]

    /// One layer's maps, with the scale they share.
    struct Layer: Equatable, Sendable {
        /// "layer 1: tanh".
        var heading: String
        /// The activation's value drawn white; values at `centre ± magnitude` are full orange or blue.
        var centre: Double
        var magnitude: Double
        var maps: [Map]
    }

    /// One unit's activation at every cell of the grid, row by row.
    struct Map: Equatable, Sendable {
        /// The unit as `explain` and `draw` name it: h1, o1, a2[3].
        var name: String
        var values: [Double]
    }

    /// One map drawn large rather than a grid of small ones.
    var isSingle: Bool { layers.count == 1 && layers[0].maps.count == 1 }

    /// A value's place on its layer's scale, from −1 (orange) through 0 (white) to 1 (blue).
    static func share(_ value: Double, in layer: Layer) -> Double {
        guard value.isFinite else { return 0 }
        return min(1, max(-1, (value - layer.centre) / layer.magnitude))
    }

    /// The scale of a layer's maps: an activation with a bounded range (sigmoid 0…1, tanh −1…1)
    /// uses that range, so a map shows how far its unit is from saturating; an unbounded one
    /// (relu, linear) is symmetric about 0 up to the largest magnitude the layer's maps reach.
    static func scale(of activation: Activation, values: [[Double]]) -> (centre: Double, magnitude: Double) {
        if !activation.isElementwise { return (0.5, 0.5) }  // softmax: probabilities
        let low = activation.value(-1e3)
        let high = activation.value(1e3)
        if low.isFinite, high.isFinite, abs(high - low) <= 10, high > low {
            return ((low + high) / 2, (high - low) / 2)
        }
        let largest = values.joined().filter(\.isFinite).map(abs).max() ?? 0
        return (0, largest > 0 ? largest : 1)
    }

    /// The scale's ends as a heading shows them: "0…1", "±2.31".
    static func rangeText(_ layer: Layer, charset: Charset = .unicode) -> String {
        if layer.centre == 0 { return (charset == .unicode ? "±" : "+/-") + PlotNumber.short(layer.magnitude) }
        return PlotNumber.short(layer.centre - layer.magnitude) + (charset == .unicode ? "…" : " to ") + PlotNumber.short(layer.centre + layer.magnitude)
    }
}

// MARK: - Terminal

extension TerminalPlot {
    /// Glyphs from most negative to most positive on a map, for when there is no colour.
    var mapGlyphs: [Character] {
        charset == .unicode ? ["▓", "▒", "░", " ", "⠂", "⠅", "⠿"] : ["=", "-", "'", " ", ".", "+", "#"]
    }

    /// The level, 0 to 6, of a share from −1 to 1.
    private static func mapLevel(_ share: Double) -> Int {
        min(6, max(0, Int(((share + 1) / 2 * 6).rounded())))
    }

    /// The text of one cell of a map: its colour as background, or its glyph.
    private func mapCell(_ level: Int) -> String {
        if coloured { return "\u{1B}[48;5;\(TerminalPlot.divergingColours[level])m \u{1B}[0m" }
        return String(mapGlyphs[level])
    }

    /// The grid size of one small map in the terminal: as wide as the layers' columns allow,
    /// half as high (a cell is about twice as high as it is wide).
    static func neuronMapSize(width: Int, layers: Int) -> (columns: Int, rows: Int) {
        let columns = min(24, max(6, (width - 2 - 3 * max(0, layers - 1)) / max(1, layers)))
        return (columns, max(3, (columns + 1) / 2))
    }

    func render(_ plot: NeuronMapPlot) -> [String] {
        let lines = plot.isSingle ? renderSingle(plot) : renderGrid(plot)
        return lines.map { line in
            var line = Substring(line)
            while line.last == " " { line = line.dropLast() }
            return String(line)
        }
    }

    /// The cells of one map as lines, with the samples' marks over them.
    /// Whether the small maps of a grid show the samples: not when they would cover more than
    /// a quarter of a map's cells, hiding what the unit computes (the large map always does).
    private static func gridShowsSamples(_ plot: NeuronMapPlot) -> Bool {
        plot.isSingle || plot.samples.count * 4 <= plot.rows * plot.columns
    }

    private func mapLines(_ map: NeuronMapPlot.Map, of layer: NeuronMapPlot.Layer, _ plot: NeuronMapPlot) -> [String] {
        var cells = map.values.map { mapCell(Self.mapLevel(NeuronMapPlot.share($0, in: layer))) }
        for sample in Self.gridShowsSamples(plot) ? plot.samples.sorted(by: { !$0.isTest && $1.isTest }) : [] {
            let column = min(plot.columns - 1, max(0, Int((sample.x - plot.x.lowerBound) / (plot.x.upperBound - plot.x.lowerBound) * Double(plot.columns))))
            let row = min(plot.rows - 1, max(0, Int((plot.y.upperBound - sample.y) / (plot.y.upperBound - plot.y.lowerBound) * Double(plot.rows))))
            let marks = sample.isTest ? testMarks : trainingMarks
            let mark = String(marks[sample.label % marks.count])
            let level = Self.mapLevel(NeuronMapPlot.share(map.values[row * plot.columns + column], in: layer))
            cells[row * plot.columns + column] = coloured
                ? "\u{1B}[1;38;5;\(sample.isTest ? 231 : 16)m\u{1B}[48;5;\(TerminalPlot.divergingColours[level])m\(mark)\u{1B}[0m"
                : mark
        }
        return (0..<plot.rows).map { row in cells[(row * plot.columns)..<((row + 1) * plot.columns)].joined() }
    }

    /// A column of small maps per layer, each under its unit's name.
    private func renderGrid(_ plot: NeuronMapPlot) -> [String] {
        let gap = "   "
        let columnWidth = plot.columns + 2  // the map between two bars
        var blocks: [[String]] = []
        for layer in plot.layers {
            var block = [clipped(layer.heading, to: columnWidth), clipped(NeuronMapPlot.rangeText(layer, charset: charset), to: columnWidth)]
            for map in layer.maps {
                block.append(clipped(map.name, to: columnWidth))
                let bar = charset == .unicode ? "│" : "|"
                block += mapLines(map, of: layer, plot).map { bar + $0 + bar }
            }
            blocks.append(block)
        }
        let height = blocks.map(\.count).max() ?? 0
        var lines = [titleLine(plot.title)]
        for row in 0..<height {
            // Pad by visible columns: a coloured map line holds escape codes.
            lines.append(blocks.map { block in
                guard row < block.count else { return String(repeating: " ", count: columnWidth) }
                let text = block[row]
                let visible = text.hasPrefix("│") || text.hasPrefix("|") ? columnWidth : text.count
                return text + String(repeating: " ", count: max(0, columnWidth - visible))
            }.joined(separator: gap))
        }
        lines += mapLegend(plot)
        return lines
    }

    /// One map large, with the plane's axes, as `plot boundary` draws the decision regions.
    private func renderSingle(_ plot: NeuronMapPlot) -> [String] {
        let layer = plot.layers[0]
        let map = layer.maps[0]
        let xScale = AxisScale(covering: plot.x, widen: false)
        let yScale = AxisScale(covering: plot.y, tickCount: max(2, min(5, plot.rows / 2 + 1)), widen: false)
        let yLabels = yScale.ticks.map(yScale.label)
        let labelWidth = max(yLabels.map(\.count).max() ?? 1, 1)
        var tickRows: [Int: String] = [:]
        for (tick, label) in zip(yScale.ticks, yLabels) {
            let row = min(plot.rows - 1, Int((plot.y.upperBound - tick) / (plot.y.upperBound - plot.y.lowerBound) * Double(plot.rows)))
            if tickRows[row] == nil { tickRows[row] = label }
        }
        let vertical = charset == .unicode ? "│" : "|"
        let tickMark = charset == .unicode ? "┤" : "+"
        var lines = [titleLine(plot.title)]
        if !plot.yLabel.isEmpty { lines.append(plot.yLabel) }
        for (row, text) in mapLines(map, of: layer, plot).enumerated() {
            let label = tickRows[row] ?? ""
            lines.append(String(repeating: " ", count: labelWidth - label.count) + label + " " + (tickRows[row] == nil ? vertical : tickMark) + text)
        }
        // The x axis and its tick labels.
        var axisLine = Array(repeating: Character(charset == .unicode ? "─" : "-"), count: plot.columns)
        var labelLine = Array(repeating: Character(" "), count: plot.columns + labelWidth + 8)
        var freeFrom = 0
        for tick in xScale.ticks {
            let column = min(plot.columns - 1, Int((xScale.fraction(tick) * Double(plot.columns - 1)).rounded()))
            axisLine[column] = charset == .unicode ? "┬" : "+"
            let label = Array(xScale.label(tick))
            let start = max(labelWidth + 2 + column - label.count / 2, freeFrom)
            guard start + label.count <= labelLine.count else { continue }
            labelLine.replaceSubrange(start..<(start + label.count), with: label)
            freeFrom = start + label.count + 1
        }
        lines.append(String(repeating: " ", count: labelWidth + 1) + (charset == .unicode ? "└" : "+") + String(axisLine))
        lines.append(String(labelLine) + "  " + plot.xLabel)
        lines += mapLegend(plot)
        return lines
    }

    /// The colour scale and the sample marks, packed into lines of the width.
    private func mapLegend(_ plot: NeuronMapPlot) -> [String] {
        let scale = (0...6).map(mapCell).joined()
        // One map: its scale's ends; several: each layer's, given under its heading.
        let ends = plot.isSingle
            ? (PlotNumber.short(plot.layers[0].centre - plot.layers[0].magnitude), PlotNumber.short(plot.layers[0].centre + plot.layers[0].magnitude))
            : ("low", "high")
        var entries = ["scale \(ends.0) \(scale) \(ends.1)"]
        let shown = Self.gridShowsSamples(plot) ? plot.samples : []
        let hasTest = shown.contains(where: \.isTest)
        for (index, name) in shown.isEmpty ? [] : Array(plot.classNames.enumerated()) {
            entries.append("\(trainingMarks[index % trainingMarks.count])" + (hasTest ? "/\(testMarks[index % testMarks.count])" : "") + " \(name)")
        }
        if hasTest { entries.append(charset == .unicode ? "(hollow marks: test samples)" : "(capitals: test samples)") }
        var lines: [String] = []
        var line = ""
        var used = 0
        for entry in entries {
            let visible = entry == entries[0] ? ends.0.count + ends.1.count + 15 : entry.count
            if used > 0, used + 3 + visible > width {
                lines.append(line)
                (line, used) = ("", 0)
            }
            line += (used == 0 ? "  " : "   ") + entry
            used += (used == 0 ? 2 : 3) + visible
        }
        return lines + [line]
    }

    private func titleLine(_ title: String) -> String {
        let shown = clipped(title, to: width)
        return String(repeating: " ", count: max(0, (width - shown.count) / 2)) + shown
    }

    private func clipped(_ text: String, to columns: Int) -> String {
        guard text.count > columns else { return text }
        return String(text.prefix(max(1, columns - 1))) + (charset == .unicode ? "…" : ".")
    }
}
