import NNEngine

// Transitional: the command bodies still being moved into command values read the session's
// state through these names. The state itself lives in `workspace` and `settings`.
extension Session {
    var network: Network? { get { workspace.network } set { workspace.network = newValue } }
    var loss: Loss { get { workspace.loss } set { workspace.loss = newValue } }
    var dataSet: DataSet? { get { workspace.dataSet } set { workspace.dataSet = newValue } }
    var split: DataSplit? { get { workspace.split } set { workspace.split = newValue } }
    var normalization: Normalization? { get { workspace.normalization } set { workspace.normalization = newValue } }
    var trainingHistory: [EpochRecord] { get { workspace.trainingHistory } set { workspace.trainingHistory = newValue } }
    var layerInitializers: [Initializer] { get { workspace.layerInitializers } set { workspace.layerInitializers = newValue } }
    var loadedClassNames: [String] { get { workspace.loadedClassNames } set { workspace.loadedClassNames = newValue } }
    var trainingSet: DataSet? { workspace.trainingSet }
    var testSet: DataSet? { workspace.testSet }
    var classNamesForModel: [String] { workspace.classNamesForModel }
    var precision: Int { get { settings.precision } set { settings.precision = newValue } }
    var decimals: Int? { get { settings.decimals } set { settings.decimals = newValue } }
    var seed: UInt64 { get { settings.seed } set { settings.seed = newValue } }
    var learningRate: Double { get { settings.learningRate } set { settings.learningRate = newValue } }
    var dtype: Precision { get { settings.dtype } set { settings.dtype = newValue } }
    var notation: Notation.Choice { get { settings.notation } set { settings.notation = newValue } }
    var optimizerSettings: OptimizerSettings { get { settings.optimizer } set { settings.optimizer = newValue } }
    var initializer: Initializer { get { settings.initializer } set { settings.initializer = newValue } }
    var maxElements: Int { get { settings.maxElements } set { settings.maxElements = newValue } }
    var charset: Charset { get { settings.charset } set { settings.charset = newValue } }
    var plotWidth: Int { get { settings.plotWidth } set { settings.plotWidth = newValue } }
    func normalized(_ inputs: Matrix) -> Matrix { workspace.normalized(inputs) }
    func requireLayers(command: String, span: SourceSpan) throws(Diagnostic) -> Network {
        try workspace.requireLayers(command: command, span: span)
    }
    func requireTrainingSetup(command: String, span: SourceSpan) throws(Diagnostic) -> (Network, DataSet) {
        try workspace.requireTrainingSetup(command: command, span: span)
    }
    func checkFit(_ data: DataSet, to network: Network, span: SourceSpan) throws(Diagnostic) {
        try Workspace.checkFit(data, to: network, span: span)
    }
    func currentLoss(command: String, span: SourceSpan) throws(Diagnostic) -> Double {
        try workspace.currentLoss(command: command, span: span)
    }
}
