import NNEngine

/// Writes out the arithmetic of a network as lecture notes do: the chain rule behind one
/// gradient with every factor's value, forward passes neuron by neuron, the loss term by term,
/// and gradient-descent updates.
///
/// It recomputes each sample on its own (a batch of one), so every number it prints is one a
/// student can check by hand; the tests check that they add up to what backpropagation gives.
struct Explainer {
    let network: Network
    let inputs: Matrix
    let targets: Matrix
    let loss: Loss
    let format: ValueFormatter
    let names: Notation

    init(network: Network, inputs: Matrix, targets: Matrix, loss: Loss, format: ValueFormatter, notationChoice: Notation.Choice,
         convention: WeightConvention = .columns) {
        self.network = network
        self.inputs = inputs
        self.targets = targets
        self.loss = loss
        self.format = format
        names = Notation(choice: notationChoice, network: network, convention: convention)
    }

    var sampleCount: Int { inputs.rows }
    var layerCount: Int { network.layers.count }

    // MARK: - One sample, traced

    /// Every value of one sample's forward and backward pass, as plain arrays.
    struct Trace {
        var input: [Double]
        var target: [Double]
        /// Per layer (index 0 = layer 1): net inputs z, outputs a. With batch normalization
        /// `nets` holds what the activation sees, y = γ x̂ + β, and `linears` z = W x + b.
        var nets: [[Double]]
        var linears: [[Double]]
        var outputs: [[Double]]
        /// ∂E/∂a per layer for this sample's own loss E_n.
        var outputGradients: [[Double]]
        /// ∂E/∂z per layer (δ) for this sample's own loss.
        var deltas: [[Double]]
        var loss: Double

        /// Layer l's output, with layer 0 the input (l as the user counts: 1 = first layer).
        func out(_ layer: Int) -> [Double] { layer == 0 ? input : outputs[layer - 1] }
    }

    /// Sample n's trace (0-based).
    func trace(_ sample: Int) -> Trace {
        let input = Matrix(row: inputs.row(sample))
        let target = Matrix(row: targets.row(sample))
        let pass = network.forward(input)
        var outputGradients = [[Double]](repeating: [], count: layerCount)
        // The δs backpropagation computes: for softmax + cross_entropy and sigmoid +
        // binary_cross_entropy the output δ is a − t exactly, even where a saturates.
        let deltas = network.gradients(of: pass, target: target, loss: loss).deltas.map { $0.row(0) }
        outputGradients[layerCount - 1] = loss.gradient(output: pass.output, target: target).row(0)
        for index in 0..<(layerCount - 1) {
            outputGradients[index] = Matrix.product(Matrix(row: deltas[index + 1]), network.layers[index + 1].weights).row(0)
        }
        return Trace(
            input: input.row(0), target: target.row(0),
            nets: pass.layers.map { $0.net.row(0) }, linears: pass.layers.map { ($0.normalization?.linear ?? $0.net).row(0) }, outputs: pass.layers.map { $0.activated.row(0) },
            outputGradients: outputGradients, deltas: deltas,
            loss: network.loss(of: pass, target: target, loss: loss))
    }

    // MARK: - Formatting helpers

    /// A number as it stands in a sum or a product: negatives in parentheses.
    func term(_ value: Double) -> String {
        value < 0 ? "(\(format.format(value)))" : format.format(value)
    }

    func number(_ value: Double) -> String { format.format(value) }

    /// `name = value` lines with their `=` signs aligned.
    static func aligned(_ rows: [(String, String)], indent: String) -> [String] {
        let width = rows.map { $0.0.count }.max() ?? 0
        return rows.map { indent + $0.0 + String(repeating: " ", count: width - $0.0.count) + " = " + $0.1 }
    }

    /// A number as `Math`, as `number` writes it.
    func numberMath(_ value: Double) -> Math { .number(format.format(value)) }

    /// A number as it stands in a sum or a product, as `term` writes it: negatives in parentheses.
    func termMath(_ value: Double) -> Math {
        value < 0 ? Math.open + numberMath(value) + Math.close : numberMath(value)
    }

    /// How a loss's derivative with respect to output k reads, and its value.
    func lossDerivative(_ trace: Trace, output k: Int) -> Math {
        let out = names.outMath(layerCount, k)
        let target = names.targetMath(k)
        let value = numberMath(trace.outputGradients[layerCount - 1][k - 1])
        let o = trace.outputs[layerCount - 1][k - 1]
        let t = trace.target[k - 1]
        let outputs = network.outputCount
        let perOutput = outputs > 1 ? Math.slash + .symbol(String(outputs)) : .empty
        let difference = out + .minus + target
        switch loss {
        case .sse:
            return difference + .equals + numberMath(o) + .minus + termMath(t) + .equals + value
        case .mse:
            return Math(text: "2 (", latex: "2\\left(") + difference + Math(text: ")", latex: "\\right)") + .slash + .symbol(String(outputs)) + .equals
                + .symbol("2") + .times + .open + numberMath(o) + .minus + termMath(t) + .close + .slash + .symbol(String(outputs)) + .equals + value
        case .crossEntropy:
            return .symbol("-") + target + .slash + out + .equals + .symbol("-") + termMath(t) + .slash + termMath(o) + .equals + value
        case .binaryCrossEntropy:
            return .parenthesized(difference) + .slash + .parenthesized(out + .space + .parenthesized(.symbol("1") + .minus + out)) + perOutput + .equals + value
        case .huber(let delta):
            let share = outputs > 1 ? Math.words(", ") + Math(text: "/ \(outputs)", latex: "/ \(outputs)") : .empty
            return difference + .words(", clipped to ") + Math(text: "±", latex: "\\pm ") + numberMath(delta) + share + .equals + value
        case .pseudoHuber(let delta):
            let root = Math(text: "√(", latex: "\\sqrt{") + .symbol("1") + .plus + .squared(.parenthesized(.parenthesized(difference) + .slash + numberMath(delta)))
                + Math(text: ")", latex: "}")
            return .parenthesized(difference) + .slash + root + perOutput + .equals + value
        }
    }

    /// How φ'(net) reads for an elementwise activation, and its value.
    func activationDerivative(_ trace: Trace, layer: Int, neuron i: Int) -> Math {
        let activation = network.layers[layer - 1].activation
        let z = trace.nets[layer - 1][i - 1]
        let a = trace.outputs[layer - 1][i - 1]
        let out = names.outMath(layer, i)
        let net = names.netMath(layer, i)
        let value = numberMath(activation.derivative(z))
        let one = Math.symbol("1")
        let ifPositive = one + .words(" if ") + net + Math(text: " > 0", latex: " > 0") + .words(", else ")
        switch activation {
        case .sigmoid:
            return out + Math(text: " (", latex: "\\left(") + one + .minus + out + Math(text: ")", latex: "\\right)") + .equals
                + numberMath(a) + .times + .open + one + .minus + numberMath(a) + .close + .equals + value
        case .tanh: return one + .minus + .squared(out) + .equals + one + .minus + .squared(termMath(a)) + .equals + value
        case .linear: return one
        case .relu: return ifPositive + .symbol("0") + .equals + value
        case .leakyRelu(let alpha): return ifPositive + numberMath(alpha) + .equals + value
        case .elu(let alpha):
            return ifPositive + numberMath(alpha) + Math(text: " e^" + net.text, latex: "\\, e^{" + net.latex + "}") + .equals + value
        case .softplus: return .function("sigmoid", net) + .equals + value
        case .step, .sign: return .symbol("0") + .words(" (flat on both sides of 0)")
        case .piecewiseLinear:
            return one + .words(" if ") + Math(text: "-½ < ", latex: "-\\tfrac{1}{2} < ") + net + Math(text: " < ½", latex: " < \\tfrac{1}{2}")
                + .words(", else ") + .symbol("0") + .equals + value
        case .softmax: return value  // explained as a Jacobian step instead
        }
    }
}
