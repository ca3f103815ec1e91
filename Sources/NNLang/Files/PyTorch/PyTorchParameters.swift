import NNEngine

/// nn's parameters as PyTorch's `state_dict` names them for the exported script's model: an
/// `nn.Sequential` of, per layer, its `Linear`, a `BatchNorm1d` if it has batch normalization,
/// and its activation; so without batch normalization layer N's `W` and `b` are
/// `"{2(N−1)}.weight"` and `"{2(N−1)}.bias"`.
enum PyTorchParameters {
    /// One entry of the state_dict: its key, its values row-major, its shape, and whether it is
    /// a count (`num_batches_tracked`, a 64-bit integer in PyTorch).
    struct Entry {
        var key: String
        var values: [Double]
        var shape: [Int]
        var isCount = false
    }

    /// The position in the `nn.Sequential` of layer `index`'s (from 0) `Linear` module.
    static func moduleIndex(layer index: Int, in network: Network) -> Int {
        network.layers[..<index].reduce(0) { $0 + ($1.batchNorm == nil ? 2 : 3) }
    }

    /// The state_dict key of layer `index`'s (from 0) weights or biases.
    static func key(layer index: Int, in network: Network, _ parameter: String) -> String {
        "\(moduleIndex(layer: index, in: network)).\(parameter)"
    }

    /// Every entry of the state_dict, in its order: weight [units, inputs] (nn's `W` as it is,
    /// which is `Linear.weight`'s layout), bias [units], and for a batch-normalized layer its
    /// `BatchNorm1d`'s weight (γ), bias (β), running_mean, running_var and num_batches_tracked.
    static func stateDict(_ network: Network) -> [Entry] {
        var entries: [Entry] = []
        for (index, layer) in network.layers.enumerated() {
            let module = moduleIndex(layer: index, in: network)
            entries.append(Entry(key: "\(module).weight", values: layer.weights.storage, shape: [layer.units, layer.inputCount]))
            entries.append(Entry(key: "\(module).bias", values: layer.biases, shape: [layer.units]))
            if let batchNorm = layer.batchNorm {
                let units = [batchNorm.units]
                entries.append(Entry(key: "\(module + 1).weight", values: batchNorm.gamma, shape: units))
                entries.append(Entry(key: "\(module + 1).bias", values: batchNorm.beta, shape: units))
                entries.append(Entry(key: "\(module + 1).running_mean", values: batchNorm.runningMean, shape: units))
                entries.append(Entry(key: "\(module + 1).running_var", values: batchNorm.runningVariance, shape: units))
                entries.append(Entry(key: "\(module + 1).num_batches_tracked", values: [Double(batchNorm.batchesTracked)],
                                     shape: [], isCount: true))
            }
        }
        return entries
    }

    /// The bytes of an `.npz` archive of every state_dict entry, float64, in state_dict order
    /// (`load_state_dict` converts num_batches_tracked back to an integer).
    static func archive(_ network: Network) -> [UInt8] {
        ZipArchive.stored(stateDict(network).map { ($0.key + ".npy", NumpyFormat.encode($0.values, shape: $0.shape)) })
    }
}
