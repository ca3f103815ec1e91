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
                explanation.append(softmaxStep(trace, layer: layer, neuron: i, width: width))
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
        // Only the samples shown are traced one by one; beyond them the mean is backpropagation's
        // over all the samples in one pass, so a large data set answers at once.
        let traced = sampleCount > sampleLimit ? sampleLimit : sampleCount
        for sample in 0..<traced {
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
        let mean = sampleCount <= sampleLimit ? products.reduce(0, +) / Double(sampleCount) : wholeDataGradient(layer: layer, row: i, column: j)
        let sum = sampleCount <= sampleLimit
            ? Math.open + .joined(products.map(termMath), separator: .plus) + .close
            : Math.open + .words("sum of the \(sampleCount) products ") + numberMath(mean * Double(sampleCount)) + .close
        explanation.equation(wrt, sum + .slash + .symbol(String(sampleCount)) + .equals + numberMath(mean))
        return explanation
    }

    /// ∂E/∂(a weight, or with `column` nil a bias) over all the samples, by backpropagation.
    private func wholeDataGradient(layer: Int, row i: Int, column j: Int?) -> Double {
        let gradients = network.gradients(input: inputs, target: targets, loss: loss)
        return j.map { gradients.weights[layer - 1][i - 1, $0 - 1] } ?? gradients.biases[layer - 1][i - 1]
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

    /// ∂E/∂net for a softmax neuron, through the softmax's Jacobian. `width` lines its last
    /// `=` up with the factors'.
    private func softmaxStep(_ trace: Trace, layer: Int, neuron i: Int, width: Int) -> Explanation {
        let net = names.netMath(layer, i)
        let error = Math.symbol("E")
        let outK = names.outMath(layer, index: "k")
        let outputs = trace.outputs[layer - 1]
        var explanation = Explanation()
        let jacobian = Math(text: "∂out_k/∂net_i = out_k (δ_ki - out_i)",
                            latex: "\\frac{\\partial \\mathrm{out}_k}{\\partial \\mathrm{net}_i} = \\mathrm{out}_k (\\delta_{ki} - \\mathrm{out}_i)")
        explanation.line(.partial(error, net) + .equals + Math(text: "Σ_k ", latex: "\\sum_k ") + .partial(error, outK) + .dot + .partial(outK, net)
                         + .words("   (softmax: ") + jacobian + .words(")"), indent: 1)
        var rows: [(Math, Math)] = []
        for k in 1...outputs.count {
            let out = names.outMath(layer, k)
            let description = layer == layerCount ? lossDerivative(trace, output: k) : numberMath(trace.outputGradients[layer - 1][k - 1])
            rows.append((.partial(error, out), description))
        }
        explanation.aligned(rows, indent: 2)
        var terms: [Math] = []
        for k in 1...outputs.count {
            let jacobian = outputs[k - 1] * ((k == i ? 1 : 0) - outputs[i - 1])
            terms.append(termMath(trace.outputGradients[layer - 1][k - 1]) + .times + termMath(jacobian))
        }
        explanation.equation(.partial(error, net), .joined(terms, separator: .plus) + .equals + numberMath(trace.deltas[layer - 1][i - 1]),
                             indent: 1, width: width)
        return explanation
    }

    /// The most numbers a per-sample matrix of the matrix form writes out before it is
    /// summarized, its middle rows and columns elided as `print` elides them.
    static let perSampleSummary = 100

    /// `explain grad W2` or `explain grad b1`: the matrix form, with shapes. `sampleLimit`, when
    /// given, is how many rows of the per-sample matrices (δ, the inputs) are written out.
    func matrixGradient(layer: Int, isBias: Bool, label: String, sampleLimit: Int? = nil) -> Explanation {
        let gradients = network.gradients(input: inputs, target: targets, loss: loss)
        let delta = gradients.deltas[layer - 1]
        let pass = network.forward(inputs)
        let previous = layer == 1 ? inputs : pass.layers[layer - 2].activated
        let units = network.layers[layer - 1].units
        let error = Math.symbol("E")
        let wrt = Math.partial(error, Self.parameterMath(label))
        let deltaName = Math(text: "δ\(layer)", latex: "\\delta^{(\(layer))}")
        let inputName = layer == 1 ? Math.symbol("X") : Math(text: "A\(layer - 1)", latex: "A^{(\(layer - 1))}")
        func transposed(_ name: Math) -> Math { Math(text: name.text + "ᵀ", latex: "{" + name.latex + "}^{T}") }
        func element(_ name: Math, _ indices: String) -> Math { Math(text: name.text + "[" + indices + "]", latex: "{" + name.latex + "}_{" + indices + "}") }
        let sumOverSamples = Math(text: "Σ_n ", latex: "\\sum_n ")
        let rows = names.convention == .rows
        var explanation = Explanation()
        let weight = Math(text: "W\(layer)[i,j]", latex: "W^{(\(layer))}_{i,j}")
        if isBias {
            explanation.equation(wrt, Math(text: "Σ over the samples of ", latex: "\\sum_{\\text{samples}} ") + deltaName
                                 + .words("   (\(sampleCount)×\(units) summed down its rows → \(units))"))
        } else if rows {
            // Z = A W: W is inputs × units, and its gradient Aᵀ δ has that shape.
            explanation.equation(wrt, transposed(inputName) + .space + deltaName
                                 + .words("   (\(previous.columns)×\(sampleCount) · \(sampleCount)×\(units) → \(previous.columns)×\(units))"))
            explanation.line(.words("element by element: ") + .partial(error, weight) + .equals + sumOverSamples + element(inputName, "n,i") + .dot
                             + element(deltaName, "n,j"), indent: 1)
        } else {
            explanation.equation(wrt, transposed(deltaName) + .space + inputName
                                 + .words("   (\(units)×\(sampleCount) · \(sampleCount)×\(previous.columns) → \(units)×\(previous.columns))"))
            explanation.line(.words("element by element: ") + .partial(error, weight) + .equals + sumOverSamples + element(deltaName, "n,i") + .dot
                             + element(inputName, "n,j"), indent: 1)
        }
        /// A per-sample matrix, its rows beyond the limit counted rather than written, and
        /// summarized (unless print_limit is 0) when it has more than `perSampleSummary` numbers.
        var rowFormat = format
        rowFormat.summaryThreshold = format.summaryThreshold.map { min($0, Self.perSampleSummary) }
        func perSample(_ matrix: Matrix, _ heading: Math) {
            guard let sampleLimit, matrix.rows > sampleLimit else {
                explanation.line(heading + .equals + .value(.matrix(matrix), format: rowFormat), indent: 1)
                return
            }
            explanation.line(heading + .equals + .value(.matrix(matrix.rows(0..<sampleLimit)), format: rowFormat), indent: 1)
            explanation.line(.words("… \(matrix.rows - sampleLimit) more samples (limit=N shows more)"), indent: 2)
        }
        let z = Math(text: "Z\(layer)", latex: "Z^{(\(layer))}")
        perSample(delta, deltaName + .equals + .partial(error, z) + .words(", one row per sample"))
        if rows, layer < layerCount {
            // The notes' hidden δ: the next layer's δ back through its weights, times φ'.
            let next = network.layers[layer]
            let nextDelta = Math(text: "δ\(layer + 1)", latex: "\\delta^{(\(layer + 1))}")
            let nextWeights = Math(text: "W\(layer + 1)", latex: "W^{(\(layer + 1))}")
            explanation.line(deltaName + .equals + nextDelta + .space + transposed(nextWeights) + Math(text: " ⊙ ", latex: " \\odot ")
                             + Math(text: "φ'(" + z.text + ")", latex: "\\varphi'\\left(" + z.latex + "\\right)")
                             + .words("   (\(sampleCount)×\(next.units) · \(next.units)×\(units) → \(sampleCount)×\(units), ⊙ \(sampleCount)×\(units))"),
                             indent: 1)
        }
        if !isBias {
            perSample(previous, inputName + .equals + .words("\(layer == 1 ? "the inputs" : "layer \(layer - 1)'s outputs"), one row per sample"))
        }
        let result: Value = isBias ? .vector(gradients.biases[layer - 1]) : .matrix(names.convention.shown(gradients.weights[layer - 1]))
        explanation.equation(wrt, .value(result, format: format))
        return explanation
    }
}
