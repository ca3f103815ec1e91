/// The user-facing numbering of weights: w1…wN across the whole network.
///
/// Weights are numbered layer by layer, and within a layer row by row (one row per
/// neuron, one column per input). For a 2-2-2 network: w1 = i1→h1, w2 = i2→h1,
/// w3 = i1→h2, w4 = i2→h2, w5 = h1→o1, w6 = h2→o1, w7 = h1→o2, w8 = h2→o2.
extension Network {
    /// The number of weights, biases not included.
    public var weightCount: Int {
        layers.reduce(0) { $0 + $1.weights.count }
    }

    /// Where weight `w<number>` lives, or nil if there is no such weight.
    public func weightLocation(number: Int) -> WeightLocation? {
        guard number >= 1 else { return nil }
        var remaining = number - 1  // 0-based index into the weights of the current layer onward
        for (index, layer) in layers.enumerated() {
            if remaining < layer.weights.count {
                return WeightLocation(layer: index + 1,
                                      row: remaining / layer.inputCount + 1,
                                      column: remaining % layer.inputCount + 1)
            }
            remaining -= layer.weights.count
        }
        return nil
    }

    /// The number `n` of weight `w<n>` at `location`, or nil if the network has no weight there.
    public func weightNumber(of location: WeightLocation) -> Int? {
        guard layers.indices.contains(location.layer - 1) else { return nil }
        let layer = layers[location.layer - 1]
        guard (1...layer.units).contains(location.row), (1...layer.inputCount).contains(location.column) else { return nil }
        let before = layers[..<(location.layer - 1)].reduce(0) { $0 + $1.weights.count }
        return before + (location.row - 1) * layer.inputCount + location.column
    }
}

/// A weight's place in a network, every index 1-based as the user sees it.
public struct WeightLocation: Equatable, Sendable {
    /// 1 is the first hidden layer.
    public var layer: Int
    /// The neuron of that layer the weight feeds.
    public var row: Int
    /// The input of that neuron the weight multiplies.
    public var column: Int

    public init(layer: Int, row: Int, column: Int) {
        self.layer = layer
        self.row = row
        self.column = column
    }
}
