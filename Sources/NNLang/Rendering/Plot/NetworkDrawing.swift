import NNEngine

/// The network as a picture: layers as columns of named neurons, every weight a connection.
/// Drawn as terminal text, as Graphviz DOT (as R's neuralnet plots) or as SVG.
struct NetworkDrawing {
    let network: Network
    /// Names of neurons: the names `explain` uses (i1, h1, o1 or x[1], a1[1], …).
    let names: Notation

    /// Networks with at most this many parameters have their weights and biases written on them.
    static let labelledParameterLimit = 60
    /// The most neurons of one layer drawn in the terminal and in SVG; DOT has them all.
    static let shownNeuronLimit = 12

    init(network: Network, notationChoice: Notation.Choice, convention: WeightConvention = .columns) {
        self.network = network
        names = Notation(choice: notationChoice, network: network, convention: convention)
    }

    var isSmall: Bool { network.parameterCount <= NetworkDrawing.labelledParameterLimit }

    /// Neuron i (1-based) of layer l; layer 0 is the input.
    func neuron(_ layer: Int, _ i: Int) -> String {
        guard layer > 0 else { return names.input(i) }
        guard names.style == .classic else { return "a\(layer)[\(i)]" }
        return layer == network.layers.count ? "o\(i)" : "h\(i)"
    }

    func units(_ layer: Int) -> Int { layer == 0 ? network.inputCount : network.layers[layer - 1].units }

    func heading(_ layer: Int) -> String {
        layer == 0 ? "input" : "layer \(layer): \(network.layers[layer - 1].activation.name)"
    }

    /// A weight or bias as the drawing labels it: 4 significant digits.
    static func label(_ value: Double) -> String {
        ValueFormatter(precision: 4).format(value)
    }

    // MARK: - Terminal

    /// Columns of neurons with headings; for small networks each neuron's bias beside it and,
    /// below, what each neuron computes from the layer before.
    func terminalLines(charset: Charset) -> [String] {
        let layerCount = network.layers.count
        let inputMark = charset == .unicode ? "○" : "o"
        let neuronMark = charset == .unicode ? "●" : "*"
        var columns: [[String]] = []
        for layer in 0...layerCount {
            var cells = [heading(layer)]
            let count = units(layer)
            let shown = count > NetworkDrawing.shownNeuronLimit ? NetworkDrawing.shownNeuronLimit - 1 : count
            for i in 1...max(1, shown) where i <= count {
                var cell = (layer == 0 ? inputMark : neuronMark) + " " + neuron(layer, i)
                if layer > 0, isSmall { cell += "  b=" + NetworkDrawing.label(network.layers[layer - 1].biases[i - 1]) }
                cells.append(cell)
            }
            if shown < count { cells.append((charset == .unicode ? "⋮ " : ": ") + "\(count - shown) more") }
            columns.append(cells)
        }
        let tallest = columns.map(\.count).max() ?? 1
        let arrow = charset == .unicode ? " ──▶ " : " --> "
        var lines: [String] = []
        for row in 0..<tallest {
            var line = " "
            for (index, cells) in columns.enumerated() {
                let width = cells.map(\.count).max() ?? 0
                // Headings on the first row; neurons centred on the tallest column below them.
                let offset = row == 0 ? 0 : (tallest - cells.count) / 2
                let cellIndex = row == 0 ? 0 : row - offset
                let text = cellIndex >= (row == 0 ? 0 : 1) && cellIndex < cells.count ? cells[cellIndex] : ""
                line += text + String(repeating: " ", count: width - text.count)
                if index < columns.count - 1 { line += row == 0 ? "     " : (row == 1 + (tallest - 1) / 2 ? arrow : "     ") }
            }
            while line.last == " " { line.removeLast() }
            lines.append(line)
        }
        guard isSmall else {
            lines.append("")
            lines.append(" \(network.parameterCount) parameters: too many to write on the drawing; 'print W1' shows them")
            return lines
        }
        lines.append("")
        let dot = charset == .unicode ? "·" : "*"
        for layer in 1...max(1, layerCount) where layer <= layerCount {
            let dense = network.layers[layer - 1]
            for i in 1...dense.units {
                var terms: [String] = []
                for j in 1...dense.inputCount {
                    terms.append(term(dense.weights[i - 1, j - 1], dot + neuron(layer - 1, j), first: terms.isEmpty))
                }
                terms.append(term(dense.biases[i - 1], "", first: terms.isEmpty))
                let sum = terms.joined()
                let name = neuron(layer, i)
                if dense.activation == .softmax {
                    lines.append(" \(name) \(charset == .unicode ? "∝" : "~") exp(\(sum))")
                } else {
                    lines.append(" \(name) = \(dense.activation.name)(\(sum))")
                }
            }
        }
        return lines
    }

    /// `0.15·i1`, ` + 0.2·i2`, ` - 0.3·i2`: one term of a weighted sum.
    private func term(_ value: Double, _ suffix: String, first: Bool) -> String {
        let magnitude = NetworkDrawing.label(abs(value))
        if first { return (value < 0 ? "-" : "") + magnitude + suffix }
        return (value < 0 ? " - " : " + ") + magnitude + suffix
    }

    // MARK: - DOT

    /// Graphviz DOT: every neuron a node, every weight an edge labelled with its value, and a
    /// bias node "1" before each layer whose edges carry the biases (blue, as neuralnet).
    func dot() -> String {
        var lines = [
            "digraph network {",
            "  rankdir=LR;",
            "  splines=line;",
            "  nodesep=0.4;",
            "  ranksep=1.6;",
            "  node [shape=circle, fixedsize=true, width=0.7, fontname=\"Helvetica\"];",
            "  edge [fontname=\"Helvetica\", fontsize=10, arrowsize=0.6];",
        ]
        let layerCount = network.layers.count
        for layer in 0...layerCount {
            lines.append("  subgraph cluster_\(layer) {")
            lines.append("    label=\"\(heading(layer))\"; color=white;")
            for i in 1...max(1, units(layer)) where i <= units(layer) {
                lines.append("    \(quote(neuron(layer, i)));")
            }
            if layer < layerCount {
                lines.append("    \(quote("bias\(layer + 1)")) [label=\"1\", style=filled, fillcolor=\"#dddddd\", width=0.4];")
            }
            lines.append("  }")
        }
        for layer in 1...max(1, layerCount) where layer <= layerCount {
            let dense = network.layers[layer - 1]
            for i in 1...dense.units {
                for j in 1...dense.inputCount {
                    lines.append("  \(quote(neuron(layer - 1, j))) -> \(quote(neuron(layer, i))) [label=\"\(NetworkDrawing.label(dense.weights[i - 1, j - 1]))\"];")
                }
            }
            for i in 1...dense.units {
                lines.append("  \(quote("bias\(layer)")) -> \(quote(neuron(layer, i))) [label=\"\(NetworkDrawing.label(dense.biases[i - 1]))\", color=blue, fontcolor=blue, class=bias];")
            }
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    private func quote(_ identifier: String) -> String {
        var quoted = "\""
        for character in identifier {
            if character == "\"" || character == "\\" { quoted.append("\\") }
            quoted.append(character)
        }
        return quoted + "\""
    }

    // MARK: - SVG

    /// The network drawn directly as SVG: neurons as circles in columns, weights as lines
    /// coloured by sign (orange negative, blue positive) and as thick as they are large,
    /// labelled with their values when the network is small.
    func svg() -> String {
        let layerCount = network.layers.count
        let shown = (0...layerCount).map { min(units($0), NetworkDrawing.shownNeuronLimit) }
        let tallest = Double(shown.max() ?? 1)
        let spacingX = 200.0
        let spacingY = 70.0
        let top = 90.0
        let width = 120 + spacingX * Double(layerCount) + 120
        let height = top + spacingY * tallest + 40
        var document = SVGDocument(width: width, height: height, title: "network \(([network.inputCount] + network.layers.map(\.units)).map(String.init).joined(separator: "-"))")
        let n = SVGPlot.number
        func position(_ layer: Int, _ i: Int) -> (x: Double, y: Double) {
            let offset = (tallest - Double(shown[layer])) / 2
            return (120 + spacingX * Double(layer), top + spacingY * (offset + Double(i - 1) + 0.5))
        }
        func biasPosition(_ layer: Int) -> (x: Double, y: Double) {
            (position(layer - 1, 1).x + spacingX * 0.35, top - 22)
        }
        let largest = network.layers.flatMap { $0.weights.storage + $0.biases }.map(abs).max() ?? 1
        func stroke(_ value: Double) -> String {
            let colour = value < 0 ? SVGPlot.classColours[0] : SVGPlot.classColours[1]
            let thickness = 0.5 + 3 * abs(value) / max(largest, 1e-12)
            return "stroke=\"\(colour)\" stroke-width=\"\(n(thickness))\""
        }
        var labels: [String] = []
        document.add("<g class=\"weights\">")
        for layer in 1...max(1, layerCount) where layer <= layerCount {
            let dense = network.layers[layer - 1]
            for i in 1...shown[layer] {
                let to = position(layer, i)
                for j in 1...shown[layer - 1] {
                    let from = position(layer - 1, j)
                    let weight = dense.weights[i - 1, j - 1]
                    document.add("<line class=\"weight\" x1=\"\(n(from.x))\" y1=\"\(n(from.y))\" x2=\"\(n(to.x))\" y2=\"\(n(to.y))\" \(stroke(weight))><title>\(SVGPlot.escape(names.weight(layer, i, j))) = \(NetworkDrawing.label(weight))</title></line>")
                    if isSmall {
                        // Near the start, as neuralnet does, so labels of one neuron's edges stay apart.
                        let x = from.x + (to.x - from.x) * 0.3
                        let y = from.y + (to.y - from.y) * 0.3
                        labels.append("<text x=\"\(n(x))\" y=\"\(n(y - 3))\" text-anchor=\"middle\" font-size=\"11\" fill=\"#222222\" stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\">\(NetworkDrawing.label(weight))</text>")
                    }
                }
                let bias = biasPosition(layer)
                let value = dense.biases[i - 1]
                document.add("<line class=\"bias\" x1=\"\(n(bias.x))\" y1=\"\(n(bias.y))\" x2=\"\(n(to.x))\" y2=\"\(n(to.y))\" \(stroke(value)) stroke-dasharray=\"4 3\"><title>\(SVGPlot.escape(names.bias(layer, i))) = \(NetworkDrawing.label(value))</title></line>")
                if isSmall {
                    let x = bias.x + (to.x - bias.x) * 0.55
                    let y = bias.y + (to.y - bias.y) * 0.55
                    labels.append("<text x=\"\(n(x))\" y=\"\(n(y - 3))\" text-anchor=\"middle\" font-size=\"11\" fill=\"#0877bd\" stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\">\(NetworkDrawing.label(value))</text>")
                }
            }
        }
        document.add("</g>")
        labels.forEach { document.add($0) }
        document.add("<g class=\"neurons\">")
        for layer in 0...layerCount {
            let first = position(layer, 1)
            document.add("<text x=\"\(n(first.x))\" y=\"\(n(height - 14))\" text-anchor=\"middle\" font-weight=\"bold\">\(SVGPlot.escape(heading(layer)))</text>")
            for i in 1...max(1, shown[layer]) where i <= shown[layer] {
                let point = position(layer, i)
                let isLastShown = i == shown[layer] && shown[layer] < units(layer)
                let name = isLastShown ? "+\(units(layer) - shown[layer] + 1)" : neuron(layer, i)
                let fill = layer == 0 ? "#f2f2f2" : "#ffffff"
                document.add("<circle class=\"neuron\" cx=\"\(n(point.x))\" cy=\"\(n(point.y))\" r=\"20\" fill=\"\(fill)\" stroke=\"#333333\" stroke-width=\"1.5\"/>")
                document.add("<text x=\"\(n(point.x))\" y=\"\(n(point.y + 4))\" text-anchor=\"middle\">\(SVGPlot.escape(name))</text>")
            }
            if layer > 0 {
                let bias = biasPosition(layer)
                document.add("<circle class=\"bias\" cx=\"\(n(bias.x))\" cy=\"\(n(bias.y))\" r=\"11\" fill=\"#dddddd\" stroke=\"#333333\"/>")
                document.add("<text x=\"\(n(bias.x))\" y=\"\(n(bias.y + 4))\" text-anchor=\"middle\" font-size=\"11\">1</text>")
            }
        }
        document.add("</g>")
        return document.text
    }
}
