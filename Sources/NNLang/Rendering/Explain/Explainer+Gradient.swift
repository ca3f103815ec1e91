import NNEngine

/// `explain grad PARAM`: the chain rule behind one gradient, factor by factor.
extension Explainer {
    /// The explanation of ∂E/∂(one weight or bias): `column` nil means the bias of neuron `row`.
    /// `label` is the parameter as the user wrote it (`w5`, `W2[1,1]`).
    func gradient(layer: Int, row i: Int, column j: Int?, label: String, sampleLimit: Int) -> Explanation {
        let isSoftmax = !network.layers[layer - 1].activation.isElementwise
        let out = names.outMath(layer, i)
        let net = names.netMath(layer, i)
        let error = Math.symbol("E")
        let wrt = Math.partial(error, Self.parameterMath(label))
        let inputFactor = Math.partial(net, Self.parameterMath(label))
        let symbolic = isSoftmax ? .partial(error, net) + .dot + inputFactor : .partial(error, out) + .dot + .partial(out, net) + .dot + inputFactor
        var explanation = Explanation()

        if sampleCount == 1 {
            let trace = trace(0)
            explanation.equation(wrt, symbolic)
            var factors: [Double] = []
            // The factors' names, padded alike so their values line up.
            let factorNames = isSoftmax ? [Math.partial(error, net), inputFactor] : [.partial(error, out), .partial(out, net), inputFactor]
            let width = factorNames.map(\.text.count).max() ?? 0
            if isSoftmax {
                explanation.blocks.append(.verbatim(softmaxStep(trace, layer: layer, neuron: i, indent: "  ") { $0 + String(repeating: " ", count: width - $0.count) }))
                factors.append(trace.deltas[layer - 1][i - 1])
            } else {
                explanation.append(outputGradient(trace, layer: layer, neuron: i, width: width))
                explanation.equation(.partial(out, net), activationDerivative(trace, layer: layer, neuron: i), indent: 1, width: width)
                factors += [trace.outputGradients[layer - 1][i - 1], network.layers[layer - 1].activation.derivative(trace.nets[layer - 1][i - 1])]
            }
            let input = j.map { trace.out(layer - 1)[$0 - 1] } ?? 1
            let inputDescription = j.map { names.outMath(layer - 1, $0) + .equals + numberMath(input) } ?? .symbol("1") + .words(" (a bias adds directly)")
            explanation.equation(inputFactor, inputDescription, indent: 1, width: width)
            factors.append(input)
            let product = isSoftmax ? factors[0] * factors[1] : factors[0] * factors[1] * factors[2]
            explanation.equation(wrt, .joined(factors.map(termMath), separator: .times) + .equals + numberMath(product))
            return explanation
        }

        // Several samples: the loss is their mean, so is the gradient. One row per sample.
        explanation.equation(wrt, .words("mean over the \(sampleCount) samples of ") + symbolic)
        var heading = [Math.words("sample")]
        heading += isSoftmax ? [.partial(error, net)] : [.partial(error, out), .partial(out, net)]
        heading += [inputFactor, .words("product")]
        var rows: [[Math]] = []
        var products: [Double] = []
        for sample in 0..<sampleCount {
            let trace = trace(sample)
            var factors: [Double] = isSoftmax
                ? [trace.deltas[layer - 1][i - 1]]
                : [trace.outputGradients[layer - 1][i - 1], network.layers[layer - 1].activation.derivative(trace.nets[layer - 1][i - 1])]
            factors.append(j.map { trace.out(layer - 1)[$0 - 1] } ?? 1)
            let product = factors.reduce(1, *)
            products.append(product)
            if sample < sampleLimit { rows.append([.symbol(String(sample + 1))] + factors.map(numberMath) + [numberMath(product)]) }
        }
        explanation.blocks.append(.table(indent: 1, heading: heading, rows: rows))
        if sampleCount > sampleLimit { explanation.line(.words("… \(sampleCount - sampleLimit) more samples (limit=N shows more)"), indent: 1) }
        let mean = products.reduce(0, +) / Double(sampleCount)
        let sum = sampleCount <= sampleLimit
            ? Math.open + .joined(products.map(termMath), separator: .plus) + .close
            : Math.open + .words("sum of the \(sampleCount) products ") + numberMath(products.reduce(0, +)) + .close
        explanation.equation(wrt, sum + .slash + .symbol(String(sampleCount)) + .equals + numberMath(mean))
        return explanation
    }

    /// A parameter as the user wrote it (`w5`, `W2[1,2]`, `b1`, `b2[1]`): the text as written,
    /// in LaTeX with its layer raised and its indices lowered as `Notation` sets them.
    static func parameterMath(_ label: String) -> Math {
        guard let letter = label.first else { return .symbol(label) }
        let rest = label.dropFirst()
        let number = rest.prefix { $0.isNumber }
        let indices = rest.dropFirst(number.count)
        if letter == "w" { return Math(text: label, latex: "w_{" + number + "}") }
        let inside = indices.hasPrefix("[") && indices.hasSuffix("]") ? String(indices.dropFirst().dropLast()) : ""
        return Math(text: label, latex: "\(letter)^{(\(number))}" + (inside.isEmpty ? "" : "_{" + inside + "}"))
    }

    /// ∂E/∂out for a neuron: the loss's derivative at the output layer, or the sum over every
    /// path through the next layer for a hidden neuron. `width` lines its `=` up with the factors'.
    private func outputGradient(_ trace: Trace, layer: Int, neuron i: Int, width: Int) -> Explanation {
        let out = names.outMath(layer, i)
        let error = Math.symbol("E")
        var explanation = Explanation()
        if layer == layerCount {
            explanation.equation(.partial(error, out), lossDerivative(trace, output: i), indent: 1, width: width)
            return explanation
        }
        let next = network.layers[layer]
        explanation.line(.partial(error, out) + .words(" = the sum over every path through layer \(layer + 1):"), indent: 1)
        var rows: [(Math, Math)] = []
        var terms: [Double] = []
        for k in 1...next.units {
            let nextNet = names.netMath(layer + 1, k)
            let delta = trace.deltas[layer][k - 1]
            let weight = next.weights[k - 1, i - 1]
            let value = delta * weight
            terms.append(value)
            let path = names.style == .classic && layer + 1 == layerCount ? Math.partial(names.lossTermMath(k), out) : .words("via ") + nextNet
            rows.append((path, .partial(error, nextNet) + .dot + .partial(nextNet, out) + .equals + termMath(delta) + .times + termMath(weight)
                         + .equals + numberMath(value)))
        }
        explanation.aligned(rows, indent: 2)
        // Where the next layer is the output, its δ is worth spelling out too, as the notes do.
        if layer + 1 == layerCount, next.activation.isElementwise {
            var deltaRows: [(Math, Math)] = []
            for k in 1...next.units {
                let nextOut = names.outMath(layer + 1, k)
                let nextNet = names.netMath(layer + 1, k)
                let factorA = trace.outputGradients[layer][k - 1]
                let factorB = next.activation.derivative(trace.nets[layer][k - 1])
                deltaRows.append((.partial(error, nextNet), .partial(error, nextOut) + .dot + .partial(nextOut, nextNet) + .equals + termMath(factorA)
                                  + .times + termMath(factorB) + .equals + numberMath(trace.deltas[layer][k - 1])))
            }
            explanation.line(.words("where"), indent: 2)
            explanation.aligned(deltaRows, indent: 3)
        }
        explanation.equation(.partial(error, out), .joined(terms.map(termMath), separator: .plus) + .equals
                             + numberMath(trace.outputGradients[layer - 1][i - 1]), indent: 1, width: width)
        return explanation
    }

    /// ∂E/∂net for a softmax neuron, through the softmax's Jacobian.
    private func softmaxStep(_ trace: Trace, layer: Int, neuron i: Int, indent: String, pad: (String) -> String) -> [String] {
        let net = names.net(layer, i)
        let outputs = trace.outputs[layer - 1]
        var lines = ["\(indent)∂E/∂\(net) = Σ_k ∂E/∂\(names.out(layer, 0).replacingLastIndex("k")) · ∂\(names.out(layer, 0).replacingLastIndex("k"))/∂\(net)   (softmax: ∂out_k/∂net_i = out_k (δ_ki - out_i))"]
        var rows: [(String, String)] = []
        for k in 1...outputs.count {
            let out = names.out(layer, k)
            let description = layer == layerCount ? lossDerivative(trace, output: k).text : number(trace.outputGradients[layer - 1][k - 1])
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
