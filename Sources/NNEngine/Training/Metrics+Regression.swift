/// The measures of regression outputs scikit-learn's `r2_score`, `mean_absolute_error` and
/// `mean_squared_error` give, over every output column.
public struct RegressionScores: Equatable, Sendable {
    /// R² = 1 − Σ(t − o)² / Σ(t − t̄)², per output column, then averaged over the columns
    /// (scikit-learn's `multioutput="uniform_average"`). A column whose targets are all the
    /// same scores 1 if it is predicted exactly, else 0 (its `force_finite=True`).
    public var r2: Double
    /// The mean of |t − o| over all samples and outputs.
    public var meanAbsoluteError: Double
    /// The mean of (t − o)² over all samples and outputs.
    public var meanSquaredError: Double
    /// √MSE, in the targets' own units.
    public var rootMeanSquaredError: Double { meanSquaredError.squareRoot() }
}

extension Metrics {
    /// R², MAE and MSE of `outputs` against `targets`: O, T: [samples, outputs], at least one sample.
    public static func regressionScores(outputs: Matrix, targets: Matrix) -> RegressionScores {
        precondition(outputs.rows == targets.rows && outputs.columns == targets.columns,
                     "outputs \(outputs.rows)×\(outputs.columns) and targets \(targets.rows)×\(targets.columns) differ in shape")
        precondition(outputs.rows > 0 && outputs.columns > 0, "regression scores need at least one sample and output")
        let (rows, columns) = (outputs.rows, outputs.columns)
        var absoluteSum = 0.0
        var squaredSum = 0.0
        var r2Sum = 0.0
        for column in 0..<columns {
            var mean = 0.0
            for row in 0..<rows { mean += targets[row, column] }
            mean /= Double(rows)
            var residual = 0.0
            var spread = 0.0
            for row in 0..<rows {
                let error = targets[row, column] - outputs[row, column]
                absoluteSum += abs(error)
                residual += error * error
                spread += (targets[row, column] - mean) * (targets[row, column] - mean)
            }
            squaredSum += residual
            r2Sum += spread == 0 ? (residual == 0 ? 1 : 0) : 1 - residual / spread
        }
        let count = Double(rows * columns)
        return RegressionScores(r2: r2Sum / Double(columns), meanAbsoluteError: absoluteSum / count,
                                meanSquaredError: squaredSum / count)
    }
}
