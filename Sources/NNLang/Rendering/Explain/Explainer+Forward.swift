#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NNEngine

/// `explain forward`, `explain loss` and `explain step`.
extension Explainer {
    /// The most inputs whose terms `explain forward` writes out one by one.
    static let termLimit = 8

    /// Each neuron's `net = w·x + b` with its terms, then `out = φ(net)`, for one sample.
    func forward(sample: Int, neuronLimit: Int) -> Explanation {
        let trace = trace(sample)
        var explanation = Explanation()
        if sampleCount > 1 { explanation.line(.words("sample \(sample + 1) of \(sampleCount) (sample=N for another):")) }
        let shown = trace.input.enumerated().prefix(Explainer.termLimit).map { names.inputMath($0.offset + 1) + .equals + numberMath($0.element) }
        explanation.line(.words("inputs: ") + .joined(shown, separator: Math(text: ", ", latex: ",\\; "))
                         + (trace.input.count > Explainer.termLimit ? .words(", … (\(trace.input.count) in all)") : .empty))
        for layer in 1...layerCount {
            let dense = network.layers[layer - 1]
            let previous = trace.out(layer - 1)
            var rows: [(Math, Math)] = []
            for i in 1...min(dense.units, neuronLimit) {
                let net = names.netMath(layer, i)
                let z = trace.linears[layer - 1][i - 1]
                if dense.inputCount <= Explainer.termLimit {
                    // Z = A W writes the input first, z = W x the weight.
                    let rowsFirst = names.convention == .rows
                    let symbols = (1...dense.inputCount).map { j in
                        rowsFirst ? names.outMath(layer - 1, j) + .tightDot + names.weightMath(layer, i, j) : names.weightMath(layer, i, j) + .tightDot + names.outMath(layer - 1, j)
                    } + [names.biasMath(layer, i)]
                    let values = (1...dense.inputCount).map { j in
                        rowsFirst ? termMath(previous[j - 1]) + .times + termMath(dense.weights[i - 1, j - 1]) : termMath(dense.weights[i - 1, j - 1]) + .times + termMath(previous[j - 1])
                    } + [termMath(dense.biases[i - 1])]
                    rows.append((net, .joined(symbols, separator: .plus) + .equals + .joined(values, separator: .plus) + .equals + numberMath(z)))
                } else {
                    let previousName = layer == 1 ? "x" : "a\(layer - 1)"
                    let previousLatex = layer == 1 ? "x" : "a^{(\(layer - 1))}"
                    let sum = names.convention == .rows
                        ? Math(text: "Σ_j \(previousName)[j]·W\(layer)[j,\(i)]", latex: "\\sum_j \(previousLatex)_{j} W^{(\(layer))}_{j,\(i)}")
                        : Math(text: "Σ_j W\(layer)[\(i),j]·\(previousName)[j]", latex: "\\sum_j W^{(\(layer))}_{\(i),j} \(previousLatex)_{j}")
                    rows.append((net, sum + .plus + names.biasMath(layer, i) + .equals + numberMath(z) + .words("   (\(dense.inputCount) terms)")))
                }
            }
            if let batchNorm = dense.batchNorm {
                rows += normalizationRows(layer: layer, batchNorm: batchNorm, trace: trace, neuronLimit: neuronLimit)
            }
            for i in 1...min(dense.units, neuronLimit) {
                let out = names.outMath(layer, i)
                let net = dense.batchNorm == nil ? names.netMath(layer, i) : normalizedName("y", layer, i)
                let a = trace.outputs[layer - 1][i - 1]
                if dense.activation.isElementwise {
                    let name = dense.activation.name
                    rows.append((out, .function(name, net) + .equals + .function(name, numberMath(trace.nets[layer - 1][i - 1])) + .equals + numberMath(a)))
                } else {
                    let exponents = trace.nets[layer - 1].map { Glibc.exp($0 - (trace.nets[layer - 1].max() ?? 0)) }
                    let sum = exponents.reduce(0, +)
                    let ratio = Math(text: "e^" + net.text, latex: "e^{" + net.latex + "}") + .slash + Math(text: "Σ_k e^net_k", latex: "\\sum_k e^{\\mathrm{net}_k}")
                    rows.append((out, ratio + .equals + numberMath(exponents[i - 1]) + .slash + numberMath(sum) + .equals + numberMath(a)
                                 + .words("   (exponents shifted by the largest net)")))
                }
            }
            // Samples as rows write the layer as the notes do: Z = A W + b, A = φ(Z).
            let input = layer == 1 ? Math.symbol("X") : Math(text: "A\(layer - 1)", latex: "A^{(\(layer - 1))}")
            let z = Math(text: "Z\(layer)", latex: "Z^{(\(layer))}")
            let matrixForm = names.convention == .rows
                ? Math(text: ", ", latex: ",\\; ") + z + .equals + input + Math(text: " W\(layer)", latex: " W^{(\(layer))}") + .plus
                    + Math(text: "b\(layer)", latex: "b^{(\(layer))}") + Math(text: ", ", latex: ",\\; ") + Math(text: "A\(layer)", latex: "A^{(\(layer))}")
                    + .equals + .function(dense.activation.name, z)
                : .empty
            let title = dense.batchNorm == nil ? Math.words("layer \(layer) (\(dense.activation.name))")
                : Math(text: "layer \(layer) (\(dense.activation.name), batch normalization by the running μ and σ² as in evaluation)",
                       latex: "\\text{layer \(layer) (\(Math.escape(dense.activation.name)), batch normalization by the running } \\mu \\text{ and } \\sigma^2 \\text{ as in evaluation)}")
            explanation.line(title + matrixForm + .words(":"))
            explanation.aligned(rows, indent: 1)
            if dense.units > neuronLimit { explanation.line(.words("… \(dense.units - neuronLimit) more neurons (limit=N shows more)"), indent: 1) }
        }
        return explanation
    }

    /// A batch-normalized layer's x̂ = (net − μ)/√(σ² + ε) and y = γ x̂ + β per neuron, with the
    /// running μ and σ² (what every command but 'train' and 'step' uses).
    private func normalizationRows(layer: Int, batchNorm: BatchNorm, trace: Trace, neuronLimit: Int) -> [(Math, Math)] {
        var rows: [(Math, Math)] = []
        for i in 1...min(batchNorm.units, neuronLimit) {
            let net = names.netMath(layer, i)
            let xHat = normalizedName("x̂", layer, i)
            let z = trace.linears[layer - 1][i - 1]
            let (mean, variance) = (batchNorm.runningMean[i - 1], batchNorm.runningVariance[i - 1])
            let normalized = (z - mean) / (variance + BatchNorm.epsilon).squareRoot()
            let mu = Math(text: "μ\(layer)[\(i)]", latex: "\\mu^{(\(layer))}_{\(i)}")
            let sigma = Math(text: "σ²\(layer)[\(i)]", latex: "\\sigma^{2(\(layer))}_{\(i)}")
            let minus = Math(text: " − ", latex: " - ")
            let root = Math(text: ") / √(", latex: ") / \\sqrt{")
            rows.append((xHat, .open + net + minus + mu + root + sigma + Math(text: " + ε)", latex: " + \\varepsilon}") + .equals
                         + .open + numberMath(z) + minus + termMath(mean) + root + numberMath(variance) + Math(text: " + 1e-5)", latex: " + 10^{-5}}")
                         + .equals + numberMath(normalized)))
            let gamma = Math(text: "gamma\(layer)[\(i)]", latex: "\\gamma^{(\(layer))}_{\(i)}")
            let beta = Math(text: "beta\(layer)[\(i)]", latex: "\\beta^{(\(layer))}_{\(i)}")
            rows.append((normalizedName("y", layer, i), gamma + .tightDot + xHat + .plus + beta + .equals
                         + termMath(batchNorm.gamma[i - 1]) + .times + termMath(normalized) + .plus + termMath(batchNorm.beta[i - 1])
                         + .equals + numberMath(trace.nets[layer - 1][i - 1])))
        }
        return rows
    }

    /// x̂ or y of neuron i of a layer: `x̂_h1` where nets are `net_h1`, else `x̂1[2]`.
    private func normalizedName(_ letter: String, _ layer: Int, _ i: Int) -> Math {
        let net = names.net(layer, i)
        let suffix = net.hasPrefix("net_") ? "_" + net.dropFirst(4) : "\(layer)[\(i)]"
        let latexLetter = letter == "x̂" ? "\\hat{x}" : letter
        return Math(text: letter + suffix, latex: latexLetter + "^{(\(layer))}_{\(i)}")
    }

    /// Each output's part of the loss and their total, per sample, then the mean.
    func lossLines(sampleLimit: Int) -> Explanation {
        var explanation = Explanation()
        var totals: [Double] = []
        let outputs = network.outputCount
        let activation = network.layers[layerCount - 1].activation
        // Only the samples shown are traced one by one; beyond them the mean is the loss of all
        // the samples in one pass, so a large data set answers at once.
        for sample in 0..<min(sampleCount, sampleLimit) {
            let trace = trace(sample)
            totals.append(trace.loss)
            if sampleCount > 1 { explanation.line(.words("sample \(sample + 1):")) }
            let indent = sampleCount > 1 ? 1 : 0
            var rows: [(Math, Math)] = []
            var parts: [Double] = []
            let nets = trace.nets[layerCount - 1]
            let terms = loss.terms(after: activation, net: Matrix(row: nets), output: Matrix(row: trace.outputs[layerCount - 1]),
                                   target: Matrix(row: trace.target)).row(0)
            for k in 1...outputs {
                let o = trace.outputs[layerCount - 1][k - 1]
                let t = trace.target[k - 1]
                let value = terms[k - 1] / Double(loss.averagingCount(rows: 1, columns: outputs))
                // An output that rounded to 0 has no log to show: its log p comes from the net.
                let logSum = loss.isComputedFromNet(after: activation) && activation == .softmax && t != 0 && !o.isNormal
                    ? Loss.logSumExp(nets) : nil
                let formula = lossTerm(output: o, target: t, k: k, outputs: outputs, net: nets[k - 1], logSumExp: logSum)
                parts.append(value)
                let note = logSum == nil ? Math.empty
                    : .words("   (from the net: ") + names.outMath(layerCount, k) + .words(" rounds to ") + numberMath(o) + .words(")")
                rows.append((names.lossTermMath(k), formula + .equals + numberMath(value) + note))
            }
            let total = sampleCount > 1 ? Math(text: "E_\(sample + 1)", latex: "E_{\(sample + 1)}") : Math.symbol("E")
            rows.append((total, (outputs > 1 ? .joined(parts.map(termMath), separator: .plus) + .equals : .empty) + numberMath(parts.reduce(0, +))))
            explanation.aligned(rows, indent: indent)
        }
        if sampleCount > sampleLimit { explanation.line(.words("… \(sampleCount - sampleLimit) more samples (limit=N shows more)"), indent: 1) }
        if sampleCount > 1 {
            let mean = sampleCount <= sampleLimit ? totals.reduce(0, +) / Double(sampleCount)
                : network.loss(input: inputs, target: targets, loss: loss)
            let sum = sampleCount <= sampleLimit
                ? Math.open + .joined(totals.map(termMath), separator: .plus) + .close
                : Math.open + .words("sum ") + numberMath(mean * Double(sampleCount)) + .close
            explanation.equation(.symbol("E"), .words("mean over the \(sampleCount) samples") + .equals + sum + .slash + .symbol(String(sampleCount))
                                 + .equals + numberMath(mean))
        }
        return explanation
    }

    /// One output's term of the loss, written out as the notes write it; its value is
    /// `Loss.terms`', exact from the net input for softmax + cross_entropy and sigmoid +
    /// binary_cross_entropy. Given the row's `logSumExp`, softmax's log p is written as
    /// net − log Σ_j e^net_j, as it is computed.
    private func lossTerm(output o: Double, target t: Double, k: Int, outputs: Int, net z: Double, logSumExp: Double?) -> Math {
        let out = names.outMath(layerCount, k)
        let target = names.targetMath(k)
        let perOutput = outputs > 1 ? Math.slash + .symbol(String(outputs)) : .empty
        let log = Math(text: " log ", latex: " \\log ")
        let minusSign = Math.symbol("-")
        let closeSquared = Math(text: ")²", latex: ")^2")
        switch loss {
        case .sse:
            return .half + .open + target + .minus + out + closeSquared + .equals + .half + .open + numberMath(t) + .minus + termMath(o) + closeSquared
        case .mse:
            return .open + target + .minus + out + closeSquared + .slash + .symbol(String(outputs)) + .equals
                + .open + numberMath(t) + .minus + termMath(o) + closeSquared + .slash + .symbol(String(outputs))
        case .crossEntropy where logSumExp != nil:
            let logSum = logSumExp ?? 0
            return minusSign + target + log + out + .equals + minusSign + target + Math(text: " (", latex: "\\left(") + names.netMath(layerCount, k)
                + .minus + Math(text: "log Σ_j e^net_j", latex: "\\log \\sum_j e^{\\mathrm{net}_j}") + Math(text: ")", latex: "\\right)") + .equals
                + minusSign + termMath(t) + .times + .open + termMath(z) + .minus + termMath(logSum) + .close
        case .crossEntropy:
            return minusSign + target + log + out + .equals + minusSign + termMath(t) + .times + Math(text: "log ", latex: "\\log ") + termMath(o)
        case .binaryCrossEntropy:
            return Math(text: "-[", latex: "-\\left[") + target + log + out + .plus + .open + .symbol("1") + .minus + target + .close
                + Math(text: " log(", latex: " \\log(") + .symbol("1") + .minus + out + .close + Math(text: "]", latex: "\\right]") + perOutput
        case .huber(let delta):
            let share = outputs > 1 ? Math.words(", ") + Math(text: "/ \(outputs)", latex: "/ \(outputs)") : .empty
            return .function("huber", out + .minus + target) + .words(", delta ") + numberMath(delta) + share
        case .pseudoHuber(let delta):
            let inner = Math.squared(.parenthesized(.parenthesized(out + .minus + target) + .slash + numberMath(delta)))
            return .squared(numberMath(delta)) + Math(text: " (", latex: "\\left(") + Math(text: "√(", latex: "\\sqrt{") + .symbol("1") + .plus + inner
                + Math(text: ")", latex: "}") + .minus + .symbol("1") + Math(text: ")", latex: "\\right)") + perOutput
        }
    }

    /// Every parameter's gradient-descent update, `w⁺ = w − η ∂E/∂w`, as lines; the network
    /// after the step is returned beside them. The layers in `frozenLayers` (from 0) stay.
    func step(learningRate: Double, parameterLimit: Int,
              frozenLayers: Set<Int> = []) -> (explanation: Explanation, updated: Network, gradients: NetworkGradients) {
        let gradients = network.gradients(input: inputs, target: targets, loss: loss)
        var updated = network
        var rows: [(Math, Math)] = []
        var count = 0
        func add(_ name: Math, _ old: Double, _ gradient: Double, frozen: Bool = false) {
            count += 1
            guard count <= parameterLimit else { return }
            if frozen {
                rows.append((.updated(name), name + .equals + numberMath(old) + .words(" (frozen)")))
                return
            }
            let new = old - learningRate * gradient
            rows.append((.updated(name), name + .minus + .eta + .space + .partial(.symbol("E"), name) + .equals + numberMath(old) + .minus
                         + numberMath(learningRate) + .times + termMath(gradient) + .equals + numberMath(new)))
        }
        for layer in 1...layerCount {
            let dense = network.layers[layer - 1]
            for i in 1...dense.units {
                for j in 1...dense.inputCount {
                    add(names.weightMath(layer, i, j), dense.weights[i - 1, j - 1], gradients.weights[layer - 1][i - 1, j - 1],
                        frozen: frozenLayers.contains(layer - 1))
                }
            }
        }
        for layer in 1...layerCount {
            for i in 1...network.layers[layer - 1].units {
                add(names.biasMath(layer, i), network.layers[layer - 1].biases[i - 1], gradients.biases[layer - 1][i - 1],
                    frozen: frozenLayers.contains(layer - 1))
            }
        }
        _ = Optimizer.descend(&updated, gradients: gradients, learningRate: learningRate, frozenLayers: frozenLayers)
        var explanation = Explanation()
        explanation.line(.words("each parameter moves against its gradient, ") + .eta + .equals + numberMath(learningRate) + .words(":"))
        explanation.aligned(rows, indent: 1)
        if count > parameterLimit { explanation.line(.words("… \(count - parameterLimit) more parameters (limit=N shows more)"), indent: 1) }
        return (explanation, updated, gradients)
    }
}
