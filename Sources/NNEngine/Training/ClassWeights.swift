/// Weights that make each class count in training as if the classes were balanced, and the
/// per-sample weights they give.
///
/// A sample's loss term is multiplied by its weight and the sum divided by the batch's N (or
/// N·K) as before, as Keras applies `class_weight` (its `sample_weight` with the default
/// "sum over batch size" reduction).
public enum ClassWeights {
    /// scikit-learn's and Keras's "balanced": n_samples / (n_classes · count_c), for each of
    /// `classCount` classes of `classes`, where n_classes counts the classes that occur; a class
    /// that does not occur weighs 1 (it has no samples to weigh).
    public static func balanced(classes: [Int], classCount: Int) -> [Double] {
        var counts = [Int](repeating: 0, count: classCount)
        for label in classes {
            precondition((0..<classCount).contains(label), "class \(label) of \(classCount)")
            counts[label] += 1
        }
        let present = counts.filter { $0 > 0 }.count
        return counts.map { $0 == 0 ? 1 : Double(classes.count) / Double(present * $0) }
    }

    /// Each sample's weight: its class's in `classWeights`, the class of a target row as
    /// `Metrics.trueClasses` reads it. Every class must have a weight.
    public static func sampleWeights(_ classWeights: [Double], targets: Matrix) -> [Double] {
        Metrics.trueClasses(targets: targets).map { label in
            precondition(label < classWeights.count, "class \(label) has no weight among \(classWeights.count)")
            return classWeights[label]
        }
    }
}
