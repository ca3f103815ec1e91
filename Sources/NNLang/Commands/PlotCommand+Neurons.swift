import NNEngine

// The plane of a network's two inputs, which `plot boundary` colours by class and `plot
// neurons` by each unit's activation; and the neuron maps themselves.

/// The raw plane of the data's two inputs (before engineered features): its extent, padded
/// around the samples, a grid of points over it, and the samples to draw.
struct InputPlane {
    var data: DataSet
    var x: ClosedRange<Double>
    var y: ClosedRange<Double>
    var testSamples: Set<Int>

    /// The plane of the workspace's data, checked to have two raw inputs that fit the network.
    /// `command` names the picture in messages.
    init(_ workspace: Workspace, network: Network, command: String, span: SourceSpan) throws(Diagnostic) {
        guard var data = workspace.dataSet else { throw Diagnostic(.noData(command: command), at: span) }
        if let features = workspace.features, let raw = features.rawInputs {
            // Engineered features: the picture is still of the raw plane.
            data.inputs = raw
            data.featureNames = features.rawNames
        }
        guard data.inputs.columns == 2 else { throw Diagnostic(.planeNeedsTwoInputs(command: command, inputs: data.inputs.columns), at: span) }
        if let training = workspace.trainingSet { try Workspace.checkFit(training, to: network, span: span) }
        func padded(_ column: Int) -> ClosedRange<Double> {
            let values = (0..<data.sampleCount).map { data.inputs[$0, column] }
            let low = values.min() ?? 0
            let high = values.max() ?? 1
            let pad = high > low ? (high - low) * 0.08 : 1
            return (low - pad)...(high + pad)
        }
        self.data = data
        x = padded(0)
        y = padded(1)
        testSamples = Set(workspace.split?.test ?? [])
    }

    /// The centres of rows × columns cells over the plane, the top row first, as the network's
    /// raw inputs: [rows · columns, 2].
    func grid(columns: Int, rows: Int) -> Matrix {
        var grid: [Double] = []
        grid.reserveCapacity(rows * columns * 2)
        for row in 0..<rows {
            let yValue = y.upperBound - (Double(row) + 0.5) / Double(rows) * (y.upperBound - y.lowerBound)
            for column in 0..<columns {
                grid.append(x.lowerBound + (Double(column) + 0.5) / Double(columns) * (x.upperBound - x.lowerBound))
                grid.append(yValue)
            }
        }
        return Matrix(rows: rows * columns, columns: 2, storage: grid)
    }

    /// The samples with their classes (0 for numeric targets), test ones marked.
    func samples(classCount: Int) -> [RegionPlot.Sample] {
        (0..<data.sampleCount).map { index in
            let label = data.isClassification ? RegionPlot.Cell(classOf: data.targets.row(index), classCount: classCount).predicted : 0
            return RegionPlot.Sample(x: data.inputs[index, 0], y: data.inputs[index, 1], label: label, isTest: testSamples.contains(index))
        }
    }

    var xLabel: String { data.featureNames[0] }
    var yLabel: String { data.featureNames[1] }
    /// ": circles", or nothing for data without a name.
    var titleSuffix: String { data.name.isEmpty ? "" : ": " + data.name }
}

extension PlotCommand {
    /// Every hidden and output unit's activation over the plane (`plot neurons`), or one unit's
    /// (`only`: its layer and unit, 1-based), of `network` or the workspace's.
    static func neuronPicture(columns: Int, rows: Int, only: (layer: Int, unit: Int)? = nil, network given: Network? = nil,
                              _ invocation: Invocation, span: SourceSpan) throws(Diagnostic) -> NeuronMapPlot {
        let command = only == nil ? "plot neurons" : "plot boundary"
        let workspace = invocation.workspace
        let network: Network
        if let given { network = given } else { network = try workspace.requireLayers(command: command, span: span) }
        let plane = try InputPlane(workspace, network: network, command: command, span: span)
        let pass = network.forward(try invocation.session.preparedInputs(plane.grid(columns: columns, rows: rows), span: span))
        let drawing = NetworkDrawing(network: network, notationChoice: invocation.settings.notation, convention: invocation.settings.convention)
        var layers: [NeuronMapPlot.Layer] = []
        for (index, values) in pass.layers.enumerated() {
            let layer = index + 1
            let units = only.map { $0.layer == layer ? [$0.unit] : [] } ?? Array(1...values.output.columns)
            guard !units.isEmpty else { continue }
            let all = (1...values.output.columns).map { unit in (0..<values.output.rows).map { values.output[$0, unit - 1] } }
            let activation = network.layers[index].activation
            let scale = NeuronMapPlot.scale(of: activation, values: all)
            layers.append(NeuronMapPlot.Layer(heading: drawing.heading(layer), centre: scale.centre, magnitude: scale.magnitude,
                                              maps: units.map { NeuronMapPlot.Map(name: drawing.neuron(layer, $0), values: all[$0 - 1]) }))
        }
        let classNames = plane.data.isClassification ? plane.data.classNames : []
        let title: String
        if let only, let map = layers.first?.maps.first {
            title = "\(map.name) (layer \(only.layer) unit \(only.unit), \(network.layers[only.layer - 1].activation.name))" + plane.titleSuffix
        } else {
            title = "every neuron over the plane" + plane.titleSuffix
        }
        return NeuronMapPlot(title: title, xLabel: plane.xLabel, yLabel: plane.yLabel, x: plane.x, y: plane.y, rows: rows, columns: columns,
                             layers: layers, samples: plane.samples(classCount: max(2, classNames.count)), classNames: classNames)
    }

    /// The unit `layer=` and `unit=` choose, checked against the network.
    static func chosenUnit(_ invocation: Invocation, span: SourceSpan) throws(Diagnostic) -> (layer: Int, unit: Int)? {
        guard invocation.isGiven("layer") || invocation.isGiven("unit") else { return nil }
        let network = try invocation.workspace.requireLayers(command: "plot boundary", span: span)
        let layer = try invocation.givenWholeNumber("layer") ?? network.layers.count
        guard layer <= network.layers.count else {
            throw Diagnostic(.settingOutOfRange(setting: "layer", range: "1 to \(network.layers.count), the network's layers", got: String(layer)),
                             at: invocation.option("layer")?.value.span ?? span)
        }
        let units = network.layers[layer - 1].units
        let unit = try invocation.givenWholeNumber("unit") ?? 1
        guard unit <= units else {
            throw Diagnostic(.settingOutOfRange(setting: "unit", range: "1 to \(units), the units of layer \(layer)", got: String(unit)),
                             at: invocation.option("unit")?.value.span ?? span)
        }
        return (layer, unit)
    }

    /// The grid of each map: sized to the terminal's width, or the SVG's resolution.
    static func neuronMapSize(single: Bool, layers: Int, terminal: TerminalPlot?, height: Int?) -> (columns: Int, rows: Int) {
        guard let terminal else {
            return single ? (SVGPlot.regionResolution, SVGPlot.regionResolution) : (SVGPlot.neuronMapResolution, SVGPlot.neuronMapResolution)
        }
        if single { return TerminalPlot.regionCanvasSize(width: terminal.width, height: height) }
        let size = TerminalPlot.neuronMapSize(width: terminal.width, layers: layers)
        return (size.columns, height ?? size.rows)
    }
}

// MARK: - Options

extension PlotCommand {
    /// layer= and unit=: one neuron's map, drawn large.
    static let neuronOptions: [OptionSpec] = [
        OptionSpec("layer", "L", "plot boundary: the layer of the one neuron to map", .wholeNumber(1...1_000_000),
                   default: .described("the output layer, with unit="), appliesWhen: boundaryOnly),
        OptionSpec("unit", "U", "plot boundary: the unit of that layer to map", .wholeNumber(1...1_000_000),
                   default: .described("the first, with layer="), appliesWhen: boundaryOnly),
    ]

    static let neuronDetails = [
        "neurons: for a network on two inputs, a small map per hidden and output unit of its activation over the",
        "plane (as TensorFlow Playground's tiles), a column per layer, the samples drawn over each (in the terminal,",
        "when they cover at most a quarter of a map); orange is low, blue high, white the middle of the activation's",
        "range (0 for unbounded ones such as relu). 'plot boundary layer=L unit=U' draws one of them large.",
    ]

    static let neuronExamples = ["plot neurons", "plot boundary layer=1 unit=2", "plot neurons to \"neurons.svg\""]

    /// layer= and unit= choose a neuron of `plot boundary`.
    static let boundaryOnly = Applicability("plot boundary") { invocation throws(Diagnostic) in
        if case .boundary = try subject(of: invocation) { return true }
        return false
    }

    /// Whether `plot boundary` is asked for one neuron's map rather than the decision regions.
    static func isGivenUnit(_ invocation: Invocation) -> Bool {
        invocation.isGiven("layer") || invocation.isGiven("unit")
    }
}

