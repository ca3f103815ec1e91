/// The names of `Notation` as `Math`: the text is the name itself, the LaTeX its parts set as
/// the notes set them (`\mathrm{net}_{h1}`, `w_{5}`, `a^{(2)}_{1}`, `W^{(2)}_{1,2}`).
extension Notation {
    /// The letter and index of a classic neuron name: h1, o2, h1\_3 for deeper networks.
    private func classicSubscript(_ layer: Int, _ i: Int) -> String {
        classicSubscript(layer, String(i))
    }

    private func classicSubscript(_ layer: Int, _ index: String) -> String {
        let letter = layer == layerCount ? "o" : (layerCount == 2 ? "h" : "h\(layer)\\_")
        return letter + index
    }

    /// Layer l's output of neuron `index`, a letter such as k for a sum over the neurons.
    func outMath(_ layer: Int, index: String) -> Math {
        let numbered = out(layer, 0)  // out_o0, a2[0]: the index replaced below
        let text = numbered.hasSuffix("[0]") ? String(numbered.dropLast(3)) + "[\(index)]" : String(numbered.dropLast()) + index
        return Math(text: text, latex: style == .classic ? "\\mathrm{out}_{\(classicSubscript(layer, index))}" : "a^{(\(layer))}_{\(index)}")
    }

    func inputMath(_ j: Int) -> Math {
        Math(text: input(j), latex: style == .classic ? "i_{\(j)}" : "x_{\(j)}")
    }

    func netMath(_ layer: Int, _ i: Int) -> Math {
        Math(text: net(layer, i), latex: style == .classic ? "\\mathrm{net}_{\(classicSubscript(layer, i))}" : "z^{(\(layer))}_{\(i)}")
    }

    func outMath(_ layer: Int, _ i: Int) -> Math {
        if layer == 0 { return inputMath(i) }
        return Math(text: out(layer, i), latex: style == .classic ? "\\mathrm{out}_{\(classicSubscript(layer, i))}" : "a^{(\(layer))}_{\(i)}")
    }

    func targetMath(_ i: Int) -> Math {
        Math(text: target(i), latex: style == .classic ? "\\mathrm{target}_{o\(i)}" : "y_{\(i)}")
    }

    func lossTermMath(_ i: Int) -> Math {
        Math(text: lossTerm(i), latex: style == .classic ? "E_{o\(i)}" : "E_{\(i)}")
    }

    func weightMath(_ layer: Int, _ i: Int, _ j: Int) -> Math {
        let text = weight(layer, i, j)
        guard style == .classic else {
            let indices = convention == .rows ? "\(j),\(i)" : "\(i),\(j)"
            return Math(text: text, latex: "W^{(\(layer))}_{\(indices)}")
        }
        return Math(text: text, latex: "w_{" + text.dropFirst() + "}")
    }

    func biasMath(_ layer: Int, _ i: Int) -> Math {
        Math(text: bias(layer, i), latex: "b^{(\(layer))}_{\(i)}")
    }
}
