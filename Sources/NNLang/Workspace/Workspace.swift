import NNEngine

/// Everything a session builds and learns: the network and what belongs to it, the loss, the
/// data with its split and normalization, and the record of the last training.
///
/// One value with one owner (the session): `undo` puts back a whole earlier copy, and
/// `startOver` is the one way to begin again, used by `clear`, `input`, `example` and `load`.
/// A field added here is reset by `startOver` without anyone remembering to.
public struct Workspace: Equatable, Sendable {
    /// The network being built; nil before `input`.
    public internal(set) var network: Network?
    public internal(set) var loss: Loss = .mse
    /// Each layer's initializer, for `reset`.
    var layerInitializers: [Initializer] = []
    /// Everything `data` loaded, before any split or normalization.
    public internal(set) var dataSet: DataSet?
    /// Which samples are for training and which for testing, after `split`.
    public internal(set) var split: DataSplit?
    /// Feature scaling fitted by `normalize`: part of the model, applied to every input.
    public internal(set) var normalization: Normalization?
    /// Engineered inputs (`data … features=[…]`): the data set holds them computed.
    public internal(set) var features: Features?
    /// The class names a loaded model brought, for when no data gives them.
    var loadedClassNames: [String] = []
    /// The per-epoch record of the last `train`, for `history` and plots.
    public internal(set) var trainingHistory: [EpochRecord] = []
    /// How the last `train` ran (its validation data left out), for `export model "m.py"`.
    public internal(set) var lastTraining: TrainingConfiguration?
    /// The points of the last `descend`, one row per point, the start first: the value `path`.
    public internal(set) var descentPath: Matrix?
    /// The layers (from 0) `freeze` fixed: training leaves their parameters alone.
    public internal(set) var frozenLayers: Set<Int> = []
    /// The histories `train … run=NAME` kept, oldest first. `startOver` keeps them, so that runs
    /// of networks built one after another can be compared; `undo` of a `train` takes its run back.
    public internal(set) var runs: [TrainingRun] = []

    public init() {}

    /// What `startOver` keeps.
    struct Kept: OptionSet {
        let rawValue: Int
        /// The data set, its split and its normalization.
        static let data = Kept(rawValue: 1)
        /// The loss chosen.
        static let loss = Kept(rawValue: 2)
    }

    /// Begins again with an empty workspace, keeping only what `kept` names, and the named runs.
    mutating func startOver(keeping kept: Kept = []) {
        let old = self
        self = Workspace()
        if kept.contains(.data) {
            dataSet = old.dataSet
            split = old.split
            normalization = old.normalization
            features = old.features
        }
        // Runs are records of what happened, compared across networks built one after another.
        runs = old.runs
        if kept.contains(.loss) { loss = old.loss }
    }

    // MARK: - The data as the network sees it

    /// The samples the network learns from: the training part of the data, normalized, with
    /// class labels encoded for the network's outputs.
    public var trainingSet: DataSet? {
        guard let dataSet else { return nil }
        return encodedForOutputs(normalized(split.map { dataSet.subset($0.training) } ?? dataSet))
    }

    /// The samples held out by `split`, normalized with the training part's statistics, with
    /// class labels encoded for the network's outputs.
    public var testSet: DataSet? {
        guard let dataSet, let split else { return nil }
        return encodedForOutputs(normalized(dataSet.subset(split.test)))
    }

    /// The training part before normalization: what `normalize` fits its statistics to.
    var unnormalizedTrainingSet: DataSet? {
        guard let dataSet else { return nil }
        return split.map { dataSet.subset($0.training) } ?? dataSet
    }

    /// Inputs scaled by the normalization, when there is one of their width.
    func normalized(_ inputs: Matrix) -> Matrix {
        guard let normalization, normalization.offsets.count == inputs.columns else { return inputs }
        return normalization.apply(inputs)
    }

    private func normalized(_ data: DataSet) -> DataSet {
        var data = data
        data.inputs = normalized(data.inputs)
        return data
    }

    /// Class labels as the output layer takes them (a 0/1 column for one unit, one-hot rows
    /// for one unit per class), when the network has layers and the classes fit; otherwise the
    /// data as it is, for `checkFit` to say what would fit.
    private func encodedForOutputs(_ data: DataSet) -> DataSet {
        guard let network, !network.layers.isEmpty else { return data }
        return data.encodingClasses(forOutputs: network.outputCount) ?? data
    }

    /// Makes `data` the data: no split yet; a normalization of another width no longer applies.
    /// The caller has checked that it fits the network.
    mutating func install(_ data: DataSet) {
        dataSet = data
        split = nil
        features = nil
        if let normalization, normalization.offsets.count != data.inputs.columns { self.normalization = nil }
    }

    /// The class names that go with the model: the data's, else those a loaded model brought.
    var classNamesForModel: [String] {
        if let names = dataSet?.classNames, !names.isEmpty { return names }
        return loadedClassNames
    }

    // MARK: - What commands need

    /// The network, checked to have at least one layer.
    func requireLayers(command: String, span: SourceSpan) throws(Diagnostic) -> Network {
        guard let network else { throw Diagnostic(.noNetwork(command: command), at: span) }
        guard !network.layers.isEmpty else { throw Diagnostic(.noLayers(command: command), at: span) }
        return network
    }

    /// The network and the training data, checked to fit each other.
    func requireTrainingSetup(command: String, span: SourceSpan) throws(Diagnostic) -> (Network, DataSet) {
        let network = try requireLayers(command: command, span: span)
        guard let data = trainingSet else { throw Diagnostic(.noData(command: command), at: span) }
        try Workspace.checkFit(data, to: network, span: span)
        return (network, data)
    }

    /// Checks that a data set's inputs have the network's width, and its targets too, or are
    /// class labels that can be encoded for its outputs.
    static func checkFit(_ data: DataSet, to network: Network, span: SourceSpan) throws(Diagnostic) {
        guard data.inputs.columns == network.inputCount else {
            throw Diagnostic(.inputWidthMismatch(what: "the data's x", columns: data.inputs.columns, inputs: network.inputCount), at: span)
        }
        guard data.targets.columns == network.outputCount || data.encodingClasses(forOutputs: network.outputCount) != nil else {
            if data.hasClassLabels {
                throw Diagnostic(.classCountMismatch(classes: data.classNames.count, outputs: network.outputCount), at: span)
            }
            throw Diagnostic(.targetWidthMismatch(columns: data.targets.columns, outputs: network.outputCount), at: span)
        }
    }

    /// The loss of the network on the training data.
    func currentLoss(command: String, span: SourceSpan) throws(Diagnostic) -> Double {
        let (network, data) = try requireTrainingSetup(command: command, span: span)
        return network.wholeDataLoss(input: data.inputs, target: data.targets, loss: loss)
    }

    /// Draws every layer's weights afresh, first layer first, each with its initializer (or
    /// `fallback` for a layer without one); biases start as the initializer says.
    mutating func reinitializeLayers(fallback: Initializer, generator: inout SeededGenerator) {
        guard var network else { return }
        for index in network.layers.indices {
            let layer = network.layers[index]
            let chosen = index < layerInitializers.count ? layerInitializers[index] : fallback
            network.layers[index].weights = chosen.weights(units: layer.units, inputs: layer.inputCount, generator: &generator)
            network.layers[index].biases = chosen.biases(units: layer.units)
            if layer.batchNorm != nil { network.layers[index].batchNorm = BatchNorm(units: layer.units) }
        }
        self.network = network
    }
}

/// A division of a data set's samples into a training part and a test part.
public struct DataSplit: Equatable, Sendable {
    public var training: [Int]
    public var test: [Int]
}
