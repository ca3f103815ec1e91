/// Classification measures of a network's outputs against targets, one sample per row.
///
/// A row's class is `classIndex(of:)`, the one rule every count, accuracy, confusion matrix,
/// table and picture of classes uses.
public enum Metrics {
    /// The threshold a single output column must exceed to count as class 1.
    public static let threshold = 0.5

    /// The class a row of outputs (or of targets) stands for.
    ///
    /// With a single column it is 1 when the value is above `threshold` (0.5) and 0 otherwise,
    /// so exactly 0.5 is class 0, as Keras's `binary_accuracy` and scikit-learn's `predict`
    /// decide. With more columns it is the column of the largest value, the first one on a
    /// tie (NumPy's `argmax`). The row must not be empty.
    @inline(__always)
    public static func classIndex<Row: Collection>(of row: Row) -> Int where Row.Element: BinaryFloatingPoint {
        var values = row.makeIterator()
        guard let first = values.next() else { preconditionFailure("a class needs at least one column") }
        guard let second = values.next() else { return first > Row.Element(threshold) ? 1 : 0 }
        var best = 0
        var largest = first
        if second > largest { (best, largest) = (1, second) }
        var index = 2
        while let value = values.next() {
            if value > largest { (best, largest) = (index, value) }
            index += 1
        }
        return best
    }

    /// The predicted class of each row of `outputs`: [samples, outputs] -> [samples].
    public static func predictedClasses(outputs: Matrix) -> [Int] {
        classes(of: outputs)
    }

    /// The true class of each row of `targets` (one-hot rows, or a single 0/1 column).
    public static func trueClasses(targets: Matrix) -> [Int] {
        classes(of: targets)
    }

    /// The number of rows whose predicted class is their true class.
    public static func correctCount(outputs: Matrix, targets: Matrix) -> Int {
        checkShapes(outputs, targets)
        var correct = 0
        for row in 0..<outputs.rows where classOfRow(row, in: outputs) == classOfRow(row, in: targets) {
            correct += 1
        }
        return correct
    }

    /// The fraction of rows classified correctly, in [0, 1]; 0 when there are no rows.
    public static func accuracy(outputs: Matrix, targets: Matrix) -> Double {
        let correct = correctCount(outputs: outputs, targets: targets)
        return outputs.rows == 0 ? 0 : Double(correct) / Double(outputs.rows)
    }

    /// Counts of (true class, predicted class) pairs: row = true class, column = predicted.
    ///
    /// `classCount` must cover every class the matrices can name: at least their number of
    /// columns, and 2 for a single column.
    public static func confusionMatrix(outputs: Matrix, targets: Matrix, classCount: Int) -> [[Int]] {
        checkShapes(outputs, targets)
        precondition(classCount >= max(outputs.columns, 2), "\(classCount) classes for \(outputs.columns) output columns")
        var counts = Array(repeating: Array(repeating: 0, count: classCount), count: classCount)
        for row in 0..<outputs.rows {
            counts[classOfRow(row, in: targets)][classOfRow(row, in: outputs)] += 1
        }
        return counts
    }

    /// Whether `targets` look like class labels: every value 0 or 1, and with more than one
    /// column exactly one 1 per row. Regression targets give false, so they get no accuracy.
    public static func isClassification(targets: Matrix) -> Bool {
        guard targets.rows > 0, targets.columns > 0 else { return false }
        guard targets.storage.allSatisfy({ $0 == 0 || $0 == 1 }) else { return false }
        guard targets.columns > 1 else { return true }
        for row in 0..<targets.rows {
            var ones = 0
            for column in 0..<targets.columns where targets.storage[row * targets.columns + column] == 1 { ones += 1 }
            if ones != 1 { return false }
        }
        return true
    }

    // MARK: - Helpers

    private static func classes(of matrix: Matrix) -> [Int] {
        precondition(matrix.columns > 0 || matrix.rows == 0, "classes need at least one column")
        return (0..<matrix.rows).map { classOfRow($0, in: matrix) }
    }

    private static func classOfRow(_ row: Int, in matrix: Matrix) -> Int {
        let start = row * matrix.columns
        return classIndex(of: matrix.storage[start..<(start + matrix.columns)])
    }

    private static func checkShapes(_ outputs: Matrix, _ targets: Matrix) {
        precondition(outputs.rows == targets.rows && outputs.columns == targets.columns,
                     "outputs \(outputs.rows)×\(outputs.columns) and targets \(targets.rows)×\(targets.columns) differ in shape")
        precondition(outputs.columns > 0, "classes need at least one column")
    }
}
