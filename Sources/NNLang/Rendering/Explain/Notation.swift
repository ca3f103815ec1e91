import NNEngine

/// The names an explanation gives to neurons, weights and values.
///
/// `classic` is the worked example's: inputs i1, i2, hidden neurons h1, h2, outputs o1, o2,
/// `net_h1`, `out_h1`, `target_o1`, and weights w1…wN numbered across the network. It fits a
/// network with one hidden layer. `layered` fits any depth: `x[j]` for inputs, `z2[i]` and
/// `a2[i]` for layer 2's net input and output, `y[i]` for targets, `W2[i,j]` for weights.
public struct Notation: Equatable, Sendable {
    public enum Style: String, CaseIterable, Sendable {
        case classic, layered
    }

    /// What `set notation` chooses: a style, or `auto`, classic for one hidden layer and layered otherwise.
    public enum Choice: String, CaseIterable, Sendable {
        case auto, classic, layered
    }

    public var style: Style
    /// The number of layers (hidden and output).
    public var layerCount: Int
    /// w1…wN numbering: the number of weights in the layers before each layer.
    var weightOffsets: [Int]
    /// Each layer's number of inputs.
    var inputCounts: [Int]
    /// How weight matrices are written: `W2[i,j]` is from input j to unit i, or (rows) from input i to unit j.
    public var convention: WeightConvention = .columns

    /// The session's choice: `auto` means classic for one hidden layer, layered otherwise.
    public init(choice: Choice, layerCount: Int, weightOffsets: [Int], inputCounts: [Int]) {
        switch choice {
        case .classic: style = .classic
        case .layered: style = .layered
        case .auto: style = layerCount == 2 ? .classic : .layered
        }
        self.layerCount = layerCount
        self.weightOffsets = weightOffsets
        self.inputCounts = inputCounts
    }

    /// The names for `network`'s layers and weights, as the session's choice says.
    init(choice: Choice, network: Network, convention: WeightConvention = .columns) {
        var offsets: [Int] = []
        var total = 0
        for layer in network.layers {
            offsets.append(total)
            total += layer.weights.count
        }
        self.init(choice: choice, layerCount: network.layers.count, weightOffsets: offsets,
                  inputCounts: network.layers.map(\.inputCount))
        self.convention = convention
    }

    /// Classic names need a letter per layer: h for the hidden layer, o for the output.
    private func letter(_ layer: Int) -> String {
        layer == layerCount ? "o" : (layerCount == 2 ? "h" : "h\(layer)_")
    }

    /// Input j (1-based).
    public func input(_ j: Int) -> String {
        style == .classic ? "i\(j)" : "x[\(j)]"
    }

    /// Layer l's net input of neuron i (l, i 1-based).
    public func net(_ layer: Int, _ i: Int) -> String {
        style == .classic ? "net_\(letter(layer))\(i)" : "z\(layer)[\(i)]"
    }

    /// Layer l's output of neuron i; layer 0 is the input.
    public func out(_ layer: Int, _ i: Int) -> String {
        if layer == 0 { return input(i) }
        return style == .classic ? "out_\(letter(layer))\(i)" : "a\(layer)[\(i)]"
    }

    /// Target i.
    public func target(_ i: Int) -> String {
        style == .classic ? "target_o\(i)" : "y[\(i)]"
    }

    /// The part of the loss that output i contributes.
    public func lossTerm(_ i: Int) -> String {
        style == .classic ? "E_o\(i)" : "E[\(i)]"
    }

    /// The weight from input j to neuron i of layer l, its indices in the convention's order.
    public func weight(_ layer: Int, _ i: Int, _ j: Int) -> String {
        guard style == .classic else { return convention == .rows ? "W\(layer)[\(j),\(i)]" : "W\(layer)[\(i),\(j)]" }
        return "w\(weightOffsets[layer - 1] + (i - 1) * inputCounts[layer - 1] + j)"
    }

    /// The bias of neuron i of layer l.
    public func bias(_ layer: Int, _ i: Int) -> String {
        "b\(layer)[\(i)]"
    }
}
