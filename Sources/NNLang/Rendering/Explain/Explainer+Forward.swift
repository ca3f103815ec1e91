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
    func forward(sample: Int, neuronLimit: Int) -> [String] {
        let trace = trace(sample)
        var lines: [String] = []
        if sampleCount > 1 { lines.append("sample \(sample + 1) of \(sampleCount) (sample=N for another):") }
        lines.append("inputs: " + trace.input.enumerated().prefix(Explainer.termLimit).map { "\(names.input($0.offset + 1)) = \(number($0.element))" }.joined(separator: ", ")
            + (trace.input.count > Explainer.termLimit ? ", … (\(trace.input.count) in all)" : ""))
        for layer in 1...layerCount {
            let dense = network.layers[layer - 1]
            let previous = trace.out(layer - 1)
            var rows: [(String, String)] = []
            for i in 1...min(dense.units, neuronLimit) {
                let net = names.net(layer, i)
                let z = trace.nets[layer - 1][i - 1]
                if dense.inputCount <= Explainer.termLimit {
                    // Z = A W writes the input first, z = W x the weight.
                    let rowsFirst = names.convention == .rows
                    let symbols = (1...dense.inputCount).map { j in
                        rowsFirst ? "\(names.out(layer - 1, j))·\(names.weight(layer, i, j))" : "\(names.weight(layer, i, j))·\(names.out(layer - 1, j))"
                    } + [names.bias(layer, i)]
                    let values = (1...dense.inputCount).map { j in
                        rowsFirst ? "\(term(previous[j - 1])) × \(term(dense.weights[i - 1, j - 1]))" : "\(term(dense.weights[i - 1, j - 1])) × \(term(previous[j - 1]))"
                    } + [term(dense.biases[i - 1])]
                    rows.append((net, symbols.joined(separator: " + ") + " = " + values.joined(separator: " + ") + " = " + number(z)))
                } else {
                    let previousName = layer == 1 ? "x" : "a\(layer - 1)"
                    let sum = names.convention == .rows ? "Σ_j \(previousName)[j]·W\(layer)[j,\(i)]" : "Σ_j W\(layer)[\(i),j]·\(previousName)[j]"
                    rows.append((net, "\(sum) + \(names.bias(layer, i)) = \(number(z))   (\(dense.inputCount) terms)"))
                }
            }
            for i in 1...min(dense.units, neuronLimit) {
                let out = names.out(layer, i)
                let net = names.net(layer, i)
                let a = trace.outputs[layer - 1][i - 1]
                if dense.activation.isElementwise {
                    rows.append((out, "\(dense.activation.name)(\(net)) = \(dense.activation.name)(\(number(trace.nets[layer - 1][i - 1]))) = \(number(a))"))
                } else {
                    let exponents = trace.nets[layer - 1].map { Glibc.exp($0 - (trace.nets[layer - 1].max() ?? 0)) }
                    let sum = exponents.reduce(0, +)
                    rows.append((out, "e^\(net) / Σ_k e^net_k = \(number(exponents[i - 1])) / \(number(sum)) = \(number(a))   (exponents shifted by the largest net)"))
                }
            }
            // Samples as rows write the layer as the notes do: Z = A W + b, A = φ(Z).
            let matrixForm = names.convention == .rows
                ? ", Z\(layer) = \(layer == 1 ? "X" : "A\(layer - 1)") W\(layer) + b\(layer), A\(layer) = \(dense.activation.name)(Z\(layer))" : ""
            lines.append("layer \(layer) (\(dense.activation.name))\(matrixForm):")
            lines += Explainer.aligned(rows, indent: "  ")
            if dense.units > neuronLimit { lines.append("  … \(dense.units - neuronLimit) more neurons (limit=N shows more)") }
        }
        return lines
    }

    /// Each output's part of the loss and their total, per sample, then the mean.
    func lossLines(sampleLimit: Int) -> [String] {
        var lines: [String] = []
        var totals: [Double] = []
        let outputs = network.outputCount
        let activation = network.layers[layerCount - 1].activation
        for sample in 0..<sampleCount {
            let trace = trace(sample)
            totals.append(trace.loss)
            guard sample < sampleLimit else { continue }
            if sampleCount > 1 { lines.append("sample \(sample + 1):") }
            let indent = sampleCount > 1 ? "  " : ""
            var rows: [(String, String)] = []
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
                let note = logSum == nil ? "" : "   (from the net: \(names.out(layerCount, k)) rounds to \(number(o)))"
                rows.append((names.lossTerm(k), formula + " = " + number(value) + note))
            }
            rows.append((sampleCount > 1 ? "E_\(sample + 1)" : "E", (outputs > 1 ? parts.map(term).joined(separator: " + ") + " = " : "") + number(parts.reduce(0, +))))
            lines += Explainer.aligned(rows, indent: indent)
        }
        if sampleCount > sampleLimit { lines.append("  … \(sampleCount - sampleLimit) more samples (limit=N shows more)") }
        if sampleCount > 1 {
            let mean = totals.reduce(0, +) / Double(sampleCount)
            let sum = sampleCount <= sampleLimit ? "(" + totals.map(term).joined(separator: " + ") + ")" : "(sum \(number(totals.reduce(0, +))))"
            lines.append("E = mean over the \(sampleCount) samples = \(sum) / \(sampleCount) = \(number(mean))")
        }
        return lines
    }

    /// One output's term of the loss, written out as the notes write it; its value is
    /// `Loss.terms`', exact from the net input for softmax + cross_entropy and sigmoid +
    /// binary_cross_entropy. Given the row's `logSumExp`, softmax's log p is written as
    /// net − log Σ_j e^net_j, as it is computed.
    private func lossTerm(output o: Double, target t: Double, k: Int, outputs: Int, net z: Double, logSumExp: Double?) -> String {
        let out = names.out(layerCount, k)
        let target = names.target(k)
        let formula: String
        switch loss {
        case .sse:
            formula = "½(\(target) - \(out))² = ½(\(number(t)) - \(term(o)))²"
        case .mse:
            formula = "(\(target) - \(out))² / \(outputs) = (\(number(t)) - \(term(o)))² / \(outputs)"
        case .crossEntropy where logSumExp != nil:
            let logSum = logSumExp ?? 0
            formula = "-\(target) log \(out) = -\(target) (\(names.net(layerCount, k)) - log Σ_j e^net_j) = -\(term(t)) × (\(term(z)) - \(term(logSum)))"
        case .crossEntropy:
            formula = "-\(target) log \(out) = -\(term(t)) × log \(term(o))"
        case .binaryCrossEntropy:
            formula = "-[\(target) log \(out) + (1 - \(target)) log(1 - \(out))]\(outputs > 1 ? " / \(outputs)" : "")"
        case .huber(let delta):
            formula = "huber(\(out) - \(target)), delta \(number(delta))\(outputs > 1 ? ", / \(outputs)" : "")"
        case .pseudoHuber(let delta):
            formula = "\(number(delta))² (√(1 + ((\(out) - \(target)) / \(number(delta)))²) - 1)\(outputs > 1 ? " / \(outputs)" : "")"
        }
        return formula
    }

    /// Every parameter's gradient-descent update, `w⁺ = w − η ∂E/∂w`, as lines; the network
    /// after the step is returned beside them. The layers in `frozenLayers` (from 0) stay.
    func step(learningRate: Double, parameterLimit: Int,
              frozenLayers: Set<Int> = []) -> (lines: [String], updated: Network, gradients: NetworkGradients) {
        let gradients = network.gradients(input: inputs, target: targets, loss: loss)
        var updated = network
        var rows: [(String, String)] = []
        var count = 0
        func add(_ name: String, _ old: Double, _ gradient: Double, frozen: Bool = false) {
            count += 1
            guard count <= parameterLimit else { return }
            if frozen {
                rows.append(("\(name)⁺", "\(name) = \(number(old)) (frozen)"))
                return
            }
            let new = old - learningRate * gradient
            rows.append(("\(name)⁺", "\(name) - η ∂E/∂\(name) = \(number(old)) - \(number(learningRate)) × \(term(gradient)) = \(number(new))"))
        }
        for layer in 1...layerCount {
            let dense = network.layers[layer - 1]
            for i in 1...dense.units {
                for j in 1...dense.inputCount {
                    add(names.weight(layer, i, j), dense.weights[i - 1, j - 1], gradients.weights[layer - 1][i - 1, j - 1],
                        frozen: frozenLayers.contains(layer - 1))
                }
            }
        }
        for layer in 1...layerCount {
            for i in 1...network.layers[layer - 1].units {
                add(names.bias(layer, i), network.layers[layer - 1].biases[i - 1], gradients.biases[layer - 1][i - 1],
                    frozen: frozenLayers.contains(layer - 1))
            }
        }
        _ = Optimizer.descend(&updated, gradients: gradients, learningRate: learningRate, frozenLayers: frozenLayers)
        var lines = ["each parameter moves against its gradient, η = \(number(learningRate)):"]
        lines += Explainer.aligned(rows, indent: "  ")
        if count > parameterLimit { lines.append("  … \(count - parameterLimit) more parameters (limit=N shows more)") }
        return (lines, updated, gradients)
    }
}
