/// Precision, recall, F1 and support per class, with their averages, as scikit-learn's
/// `classification_report` computes them.
public struct ClassificationReport: Equatable, Sendable {
    /// The scores of one class, or an average of them.
    public struct Scores: Equatable, Sendable {
        /// tp / (tp + fp): of the samples predicted this class, the share that are; 0 when none are predicted.
        public var precision: Double
        /// tp / (tp + fn): of the samples of this class, the share found; 0 when there are none.
        public var recall: Double
        /// 2·tp / (2·tp + fp + fn), the harmonic mean of the two; 0 when both are 0.
        public var f1: Double
        /// The number of samples of this class (or of all classes, for an average).
        public var support: Int
    }

    /// One per class, in class order.
    public var classes: [Scores]
    /// The unweighted mean of the classes' scores: every class counts the same.
    public var macroAverage: Scores
    /// The mean of the classes' scores weighted by their support.
    public var weightedAverage: Scores
    /// The share of samples classified right.
    public var accuracy: Double
}

extension Metrics {
    /// The report of `predicted` classes against `actual` ones, each in 0..<`classCount`, with
    /// scikit-learn's `zero_division=0`: a class never predicted has precision 0, a class
    /// without samples recall 0, and both an F1 of 0. Classes without samples still count in
    /// the macro average, as they do when scikit-learn is given `labels=range(classCount)`.
    public static func classificationReport(predicted: [Int], actual: [Int], classCount: Int) -> ClassificationReport {
        precondition(predicted.count == actual.count, "\(predicted.count) predictions for \(actual.count) samples")
        precondition(classCount > 0, "a report needs at least one class")
        var truePositives = [Int](repeating: 0, count: classCount)
        var predictedCounts = [Int](repeating: 0, count: classCount)
        var supports = [Int](repeating: 0, count: classCount)
        for (guess, truth) in zip(predicted, actual) {
            precondition((0..<classCount).contains(guess) && (0..<classCount).contains(truth), "a class outside 0..<\(classCount)")
            predictedCounts[guess] += 1
            supports[truth] += 1
            if guess == truth { truePositives[truth] += 1 }
        }
        func ratio(_ numerator: Int, _ denominator: Int) -> Double {
            denominator == 0 ? 0 : Double(numerator) / Double(denominator)
        }
        let classes = (0..<classCount).map { c in
            let (tp, fp, fn) = (truePositives[c], predictedCounts[c] - truePositives[c], supports[c] - truePositives[c])
            return ClassificationReport.Scores(precision: ratio(tp, tp + fp), recall: ratio(tp, tp + fn),
                                               f1: ratio(2 * tp, 2 * tp + fp + fn), support: supports[c])
        }
        let total = actual.count
        func average(_ weight: (ClassificationReport.Scores) -> Double) -> ClassificationReport.Scores {
            let weights = classes.map(weight)
            let sum = weights.reduce(0, +)
            func mean(_ score: KeyPath<ClassificationReport.Scores, Double>) -> Double {
                sum == 0 ? 0 : zip(classes, weights).reduce(0) { $0 + $1.0[keyPath: score] * $1.1 } / sum
            }
            return ClassificationReport.Scores(precision: mean(\.precision), recall: mean(\.recall), f1: mean(\.f1), support: total)
        }
        return ClassificationReport(classes: classes, macroAverage: average { _ in 1 },
                                    weightedAverage: average { Double($0.support) },
                                    accuracy: ratio(truePositives.reduce(0, +), total))
    }
}
