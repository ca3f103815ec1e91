import NNEngine

/// nn's parameters as PyTorch's `state_dict` names them for the exported script's model: an
/// `nn.Sequential` whose even modules are the `Linear` layers and odd ones their activations,
/// so layer N's `W` and `b` are `"{2(N−1)}.weight"` and `"{2(N−1)}.bias"`.
enum PyTorchParameters {
    /// The state_dict key of layer `index`'s (from 0) weights or biases.
    static func key(layer index: Int, _ parameter: String) -> String {
        "\(2 * index).\(parameter)"
    }

    /// The bytes of an `.npz` archive of every parameter, float64, in state_dict order: weight
    /// [units, inputs] (nn's `W` as it is, which is `Linear.weight`'s layout), bias [units].
    static func archive(_ network: Network) -> [UInt8] {
        var members: [(name: String, contents: [UInt8])] = []
        for (index, layer) in network.layers.enumerated() {
            members.append((key(layer: index, "weight") + ".npy", NumpyFormat.encode(layer.weights.storage, shape: [layer.units, layer.inputCount])))
            members.append((key(layer: index, "bias") + ".npy", NumpyFormat.encode(layer.biases, shape: [layer.units])))
        }
        return ZipArchive.stored(members)
    }
}
