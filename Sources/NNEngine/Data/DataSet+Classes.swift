/// Class labels encoded to fit an output layer: one unit sees a 0/1 column, one unit per
/// class sees one-hot rows (Keras's `to_categorical`, PyTorch's `one_hot`).
extension DataSet {
    /// The output widths the class labels can be encoded for, narrowest first: 1 (a 0/1
    /// column) and 2 for two classes, K for K classes; empty when the targets are not labels.
    public var fittingOutputCounts: [Int] {
        guard hasClassLabels else { return [] }
        return classNames.count == 2 ? [1, 2] : [classNames.count]
    }

    /// The data with its class labels encoded for `outputs` output units: itself when the
    /// targets already have that width; one-hot rows for one unit per class; a 0/1 column for a
    /// single unit and two classes (the second class is 1). Nil when the targets are not class
    /// labels or the classes do not fit that width.
    public func encodingClasses(forOutputs outputs: Int) -> DataSet? {
        guard fittingOutputCounts.contains(outputs) else { return nil }
        guard targets.columns != outputs else { return self }
        var encoded = self
        let classes = Metrics.trueClasses(targets: targets)
        encoded.targets = outputs == 1 ? Matrix(column: classes.map(Double.init)) : ClassEncoding.oneHot(classes, classCount: outputs)
        return encoded
    }
}

/// How class labels become names and target rows: one rule for data sets, files and `onehot`.
public enum ClassEncoding {
    /// One row per label with a 1 in the label's column: [labels] -> [labels, classCount].
    /// Every label must be in 0..<classCount.
    public static func oneHot(_ labels: [Int], classCount: Int) -> Matrix {
        var matrix = Matrix(rows: labels.count, columns: classCount)
        for (row, label) in labels.enumerated() {
            precondition((0..<classCount).contains(label), "label \(label) is not one of \(classCount) classes")
            matrix.storage[row * classCount + label] = 1
        }
        return matrix
    }

    /// The classes of numeric labels, sorted by value ("2" before "10") so that the encoding
    /// does not depend on the order of the samples, and each label's class index.
    public static func classes(ofNumericLabels labels: [Double]) -> (names: [String], indices: [Int]) {
        let values = Set(labels).sorted()
        let indexOfValue = Dictionary(uniqueKeysWithValues: values.enumerated().map { ($1, $0) })
        return (values.map(name(ofNumericLabel:)), labels.map { indexOfValue[$0] ?? 0 })
    }

    /// "3" for 3.0, "2.5" for 2.5: how a numeric class is named.
    public static func name(ofNumericLabel value: Double) -> String {
        if value == value.rounded() && abs(value) < 1e15 { return String(Int(value)) }
        return "\(value)"
    }
}
