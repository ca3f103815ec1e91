import NNEngine

/// `explain grad PARAM`: the chain rule behind one gradient, factor by factor.
extension Explainer {
    /// The explanation of ∂E/∂(one weight or bias): `column` nil means the bias of neuron `row`.
    /// `label` is the parameter as the user wrote it (`w5`, `W2[1,1]`).
    func gradient(layer: Int, row i: Int, column j: Int?, label: String, sampleLimit: Int) -> [String] {
        let isSoftmax = !network.layers[layer - 1].activation.isElementwise
        let out = names.out(layer, i)
        let net = names.net(layer, i)
        let wrt = "∂E/∂\(label)"
        let inputFactor = "∂\(net)/∂\(label)"
        let symbolic = isSoftmax ? "∂E/∂\(net) · \(inputFactor)" : "∂E/∂\(out) · ∂\(out)/∂\(net) · \(inputFactor)"

        if sampleCount == 1 {
            let trace = trace(0)
            var lines = ["\(wrt) = \(symbolic)"]
            var factors: [Double] = []
            // The factors' names, padded alike so their values line up.
            let factorNames = isSoftmax ? ["∂E/∂\(net)", inputFactor] : ["∂E/∂\(out)", "∂\(out)/∂\(net)", inputFactor]
            let width = factorNames.map(\.count).max() ?? 0
            func pad(_ name: String) -> String { name + String(repeating: " ", count: width - name.count) }
            if isSoftmax {
                lines += softmaxStep(trace, layer: layer, neuron: i, indent: "  ", pad: pad)
                factors.append(trace.deltas[layer - 1][i - 1])
            } else {
                lines += outputGradient(trace, layer: layer, neuron: i, indent: "  ", pad: pad)
                lines.append("  \(pad("∂\(out)/∂\(net)")) = \(activationDerivative(trace, layer: layer, neuron: i))")
                factors += [trace.outputGradients[layer - 1][i - 1], network.layers[layer - 1].activation.derivative(trace.nets[layer - 1][i - 1])]
            }
            let input = j.map { trace.out(layer - 1)[$0 - 1] } ?? 1
            let inputDescription = j.map { "\(names.out(layer - 1, $0)) = \(number(input))" } ?? "1 (a bias adds directly)"
            lines.append("  \(pad(inputFactor)) = \(inputDescription)")
            factors.append(input)
            let product = isSoftmax ? factors[0] * factors[1] : factors[0] * factors[1] * factors[2]
            lines.append("\(wrt) = \(factors.map(term).joined(separator: " × ")) = \(number(product))")
            return lines
        }

        // Several samples: the loss is their mean, so is the gradient. One row per sample.
        var lines = ["\(wrt) = mean over the \(sampleCount) samples of \(symbolic)"]
        var heading = ["sample"]
        heading += isSoftmax ? ["∂E/∂\(net)"] : ["∂E/∂\(out)", "∂\(out)/∂\(net)"]
        heading += [inputFactor, "product"]
        var table = TextTable(Array(repeating: .right, count: heading.count))
        table.add(heading)
        var products: [Double] = []
        for sample in 0..<sampleCount {
            let trace = trace(sample)
            var factors: [Double] = isSoftmax
                ? [trace.deltas[layer - 1][i - 1]]
                : [trace.outputGradients[layer - 1][i - 1], network.layers[layer - 1].activation.derivative(trace.nets[layer - 1][i - 1])]
            factors.append(j.map { trace.out(layer - 1)[$0 - 1] } ?? 1)
            let product = factors.reduce(1, *)
            products.append(product)
            if sample < sampleLimit { table.add([String(sample + 1)] + factors.map(number) + [number(product)]) }
        }
        lines += table.lines.map { "  " + $0 }
        if sampleCount > sampleLimit { lines.append("  … \(sampleCount - sampleLimit) more samples (limit=N shows more)") }
        let mean = products.reduce(0, +) / Double(sampleCount)
        let sum = sampleCount <= sampleLimit
            ? "(" + products.map(term).joined(separator: " + ") + ")"
            : "(sum of the \(sampleCount) products \(number(products.reduce(0, +))))"
        lines.append("\(wrt) = \(sum) / \(sampleCount) = \(number(mean))")
        return lines
    }

    /// ∂E/∂out for a neuron: the loss's derivative at the output layer, or the sum over every
    /// path through the next layer for a hidden neuron.
    private func outputGradient(_ trace: Trace, layer: Int, neuron i: Int, indent: String, pad: (String) -> String) -> [String] {
        let out = names.out(layer, i)
        if layer == layerCount {
            return ["\(indent)\(pad("∂E/∂\(out)")) = \(lossDerivative(trace, output: i))"]
        }
        let next = network.layers[layer]
        var lines = ["\(indent)∂E/∂\(out) = the sum over every path through layer \(layer + 1):"]
        var rows: [(String, String)] = []
        var terms: [Double] = []
        for k in 1...next.units {
            let nextNet = names.net(layer + 1, k)
            let delta = trace.deltas[layer][k - 1]
            let weight = next.weights[k - 1, i - 1]
            let value = delta * weight
            terms.append(value)
            let path = names.style == .classic && layer + 1 == layerCount ? "∂\(names.lossTerm(k))/∂\(out)" : "via \(nextNet)"
            rows.append((path, "∂E/∂\(nextNet) · ∂\(nextNet)/∂\(out) = \(term(delta)) × \(term(weight)) = \(number(value))"))
        }
        lines += Explainer.aligned(rows, indent: indent + "  ")
        // Where the next layer is the output, its δ is worth spelling out too, as the notes do.
        if layer + 1 == layerCount, next.activation.isElementwise {
            var deltaRows: [(String, String)] = []
            for k in 1...next.units {
                let nextOut = names.out(layer + 1, k)
                let nextNet = names.net(layer + 1, k)
                let factorA = trace.outputGradients[layer][k - 1]
                let factorB = next.activation.derivative(trace.nets[layer][k - 1])
                deltaRows.append(("∂E/∂\(nextNet)", "∂E/∂\(nextOut) · ∂\(nextOut)/∂\(nextNet) = \(term(factorA)) × \(term(factorB)) = \(number(trace.deltas[layer][k - 1]))"))
            }
            lines += ["\(indent)  where"] + Explainer.aligned(deltaRows, indent: indent + "    ")
        }
        lines.append("\(indent)\(pad("∂E/∂\(out)")) = \(terms.map(term).joined(separator: " + ")) = \(number(trace.outputGradients[layer - 1][i - 1]))")
        return lines
    }

    /// ∂E/∂net for a softmax neuron, through the softmax's Jacobian.
    private func softmaxStep(_ trace: Trace, layer: Int, neuron i: Int, indent: String, pad: (String) -> String) -> [String] {
        let net = names.net(layer, i)
        let outputs = trace.outputs[layer - 1]
        var lines = ["\(indent)∂E/∂\(net) = Σ_k ∂E/∂\(names.out(layer, 0).replacingLastIndex("k")) · ∂\(names.out(layer, 0).replacingLastIndex("k"))/∂\(net)   (softmax: ∂out_k/∂net_i = out_k (δ_ki - out_i))"]
        var rows: [(String, String)] = []
        for k in 1...outputs.count {
            let out = names.out(layer, k)
            let description = layer == layerCount ? lossDerivative(trace, output: k) : number(trace.outputGradients[layer - 1][k - 1])
            rows.append(("∂E/∂\(out)", description))
        }
        lines += Explainer.aligned(rows, indent: indent + "  ")
        var terms: [String] = []
        for k in 1...outputs.count {
            let jacobian = outputs[k - 1] * ((k == i ? 1 : 0) - outputs[i - 1])
            terms.append("\(term(trace.outputGradients[layer - 1][k - 1])) × \(term(jacobian))")
        }
        lines.append("\(indent)\(pad("∂E/∂\(net)")) = \(terms.joined(separator: " + ")) = \(number(trace.deltas[layer - 1][i - 1]))")
        return lines
    }

    /// `explain grad W2` or `explain grad b1`: the matrix form, with shapes. `sampleLimit`, when
    /// given, is how many rows of the per-sample matrices (δ, the inputs) are written out.
    func matrixGradient(layer: Int, isBias: Bool, label: String, sampleLimit: Int? = nil) -> [String] {
        let gradients = network.gradients(input: inputs, target: targets, loss: loss)
        let delta = gradients.deltas[layer - 1]
        let pass = network.forward(inputs)
        let previous = layer == 1 ? inputs : pass.layers[layer - 2].activated
        let units = network.layers[layer - 1].units
        let deltaName = "δ\(layer)"
        let inputName = layer == 1 ? "X" : "A\(layer - 1)"
        let rows = names.convention == .rows
        var lines: [String] = []
        if isBias {
            lines.append("∂E/∂\(label) = Σ over the samples of \(deltaName)   (\(sampleCount)×\(units) summed down its rows → \(units))")
        } else if rows {
            // Z = A W: W is inputs × units, and its gradient Aᵀ δ has that shape.
            lines.append("∂E/∂\(label) = \(inputName)ᵀ \(deltaName)   (\(previous.columns)×\(sampleCount) · \(sampleCount)×\(units) → \(previous.columns)×\(units))")
            lines.append("  element by element: ∂E/∂W\(layer)[i,j] = Σ_n \(inputName)[n,i] · \(deltaName)[n,j]")
        } else {
            lines.append("∂E/∂\(label) = \(deltaName)ᵀ \(inputName)   (\(units)×\(sampleCount) · \(sampleCount)×\(previous.columns) → \(units)×\(previous.columns))")
            lines.append("  element by element: ∂E/∂W\(layer)[i,j] = Σ_n \(deltaName)[n,i] · \(inputName)[n,j]")
        }
        /// A per-sample matrix, its rows beyond the limit counted rather than written.
        func perSample(_ matrix: Matrix, _ heading: String) -> [String] {
            guard let sampleLimit, matrix.rows > sampleLimit else { return ["  \(heading) = \(format.format(matrix))"] }
            return ["  \(heading) = \(format.format(matrix.rows(0..<sampleLimit)))",
                    "    … \(matrix.rows - sampleLimit) more samples (limit=N shows more)"]
        }
        lines += perSample(delta, "\(deltaName) = ∂E/∂Z\(layer), one row per sample")
        if rows, layer < layerCount {
            // The notes' hidden δ: the next layer's δ back through its weights, times φ'.
            let next = network.layers[layer]
            lines.append("  \(deltaName) = δ\(layer + 1) W\(layer + 1)ᵀ ⊙ φ'(Z\(layer))   (\(sampleCount)×\(next.units) · \(next.units)×\(units) → \(sampleCount)×\(units), ⊙ \(sampleCount)×\(units))")
        }
        if !isBias { lines += perSample(previous, "\(inputName) = \(layer == 1 ? "the inputs" : "layer \(layer - 1)'s outputs"), one row per sample") }
        let result: Value = isBias ? .vector(gradients.biases[layer - 1]) : .matrix(names.convention.shown(gradients.weights[layer - 1]))
        lines.append("∂E/∂\(label) = \(format.format(result))")
        return lines
    }
}

extension String {
    /// `out_o0` → `out_ok`: a neuron name with its index replaced, for Σ over an index.
    fileprivate func replacingLastIndex(_ index: String) -> String {
        if hasSuffix("[0]") { return String(dropLast(3)) + "[\(index)]" }
        return String(dropLast()) + index
    }
}
