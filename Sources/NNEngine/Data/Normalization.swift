/// Feature scaling learned from training data and applied to every input after: the same
/// offsets and scales for training, testing and `predict`.
public struct Normalization: Equatable, Sendable {
    public enum Method: String, Equatable, Sendable, CaseIterable {
        /// (x − mean) / standard deviation (population), like scikit-learn's StandardScaler.
        case standard
        /// (x − min) / (max − min), like scikit-learn's MinMaxScaler.
        case minmax
    }

    public var method: Method
    /// Subtracted from each feature.
    public var offsets: [Double]
    /// Each feature is divided by this after the offset; 1 where a feature is constant.
    public var scales: [Double]

    public init(method: Method, offsets: [Double], scales: [Double]) {
        self.method = method
        self.offsets = offsets
        self.scales = scales
    }

    /// The statistics of `inputs`: [samples, features].
    public init(method: Method, fittedTo inputs: Matrix) {
        precondition(inputs.rows > 0, "normalization needs at least one sample")
        let n = Double(inputs.rows)
        var offsets = [Double](repeating: 0, count: inputs.columns)
        var scales = [Double](repeating: 1, count: inputs.columns)
        for column in 0..<inputs.columns {
            let values = (0..<inputs.rows).map { inputs[$0, column] }
            switch method {
            case .standard:
                let mean = values.reduce(0, +) / n
                let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n
                offsets[column] = mean
                scales[column] = variance > 0 ? variance.squareRoot() : 1
            case .minmax:
                let low = values.min() ?? 0
                let high = values.max() ?? 0
                offsets[column] = low
                scales[column] = high > low ? high - low : 1
            }
        }
        self.init(method: method, offsets: offsets, scales: scales)
    }

    /// The first feature (0-based) whose offset or scale is not a finite number: its values are
    /// so large that their mean, spread or range overflowed, so scaling would make them NaN or 0.
    public var firstOverflowingFeature: Int? {
        offsets.indices.first { !offsets[$0].isFinite || !scales[$0].isFinite }
    }

    /// `inputs` scaled: [samples, features] -> [samples, features].
    public func apply(_ inputs: Matrix) -> Matrix {
        precondition(inputs.columns == offsets.count, "normalization fitted to \(offsets.count) features")
        var result = inputs
        for row in 0..<inputs.rows {
            for column in 0..<inputs.columns {
                result[row, column] = (inputs[row, column] - offsets[column]) / scales[column]
            }
        }
        return result
    }
}
