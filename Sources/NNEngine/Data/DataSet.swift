/// Samples for training or testing: inputs and targets, one sample per row, with the names
/// that make results readable.
public struct DataSet: Equatable, Sendable {
    /// The inputs: [samples, features].
    public var inputs: Matrix
    /// The targets: [samples, outputs]. For classification, one-hot rows (one column per
    /// class), or a single 0/1 column when there are two classes.
    public var targets: Matrix
    public var featureNames: [String]
    /// The class names for classification, in target-column order (for a single 0/1 column,
    /// the class of 0 then the class of 1); empty for regression.
    public var classNames: [String]
    /// A short description, for `show data`: "iris", "circles (n=200, noise=0.1)", a file name.
    public var name: String
    /// Whether the targets stand for class labels (a data set's classes, a class column, labels
    /// given as classes), which `encodingClasses(forOutputs:)` may encode afresh, rather than
    /// numbers that only look like classes and keep the shape they were given in.
    public var hasClassLabels: Bool

    public init(inputs: Matrix, targets: Matrix, featureNames: [String] = [], classNames: [String] = [], name: String = "",
                hasClassLabels: Bool = true) {
        precondition(inputs.rows == targets.rows, "inputs and targets must have one row per sample each")
        self.inputs = inputs
        self.targets = targets
        self.featureNames = featureNames.isEmpty ? (1...max(1, inputs.columns)).map { "x\($0)" } : featureNames
        self.classNames = classNames
        self.name = name
        self.hasClassLabels = hasClassLabels && !classNames.isEmpty
    }

    public var sampleCount: Int { inputs.rows }
    public var isClassification: Bool { !classNames.isEmpty }

    /// The samples at `indices`, in that order.
    public func subset(_ indices: [Int]) -> DataSet {
        DataSet(inputs: inputs.selectingRows(indices), targets: targets.selectingRows(indices),
                featureNames: featureNames, classNames: classNames, name: name, hasClassLabels: hasClassLabels)
    }
}

extension Matrix {
    /// The rows at `indices`, in that order.
    public func selectingRows(_ indices: [Int]) -> Matrix {
        var selected = [Double]()
        selected.reserveCapacity(indices.count * columns)
        for index in indices {
            selected.append(contentsOf: storage[(index * columns)..<((index + 1) * columns)])
        }
        return Matrix(rows: indices.count, columns: columns, storage: selected)
    }
}
