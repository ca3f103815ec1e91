import Foundation
import Testing
import NNEngine

/// Not a test: the timing harness `scripts/bench/run.py` runs for what the language cannot
/// ask for yet (`set dtype float32`). Skipped unless NN_BENCH is set; prints RESULT lines.
///
///     NN_BENCH=1 NN_BENCH_DTYPE=float32 OPENBLAS_NUM_THREADS=1 \
///       swift test -c release -Xswiftc -enable-testing --filter EngineBenchmark
@Suite("Engine benchmark")
struct EngineBenchmarkTests {
    static let environment = ProcessInfo.processInfo.environment

    /// goal 1 and 4: the 784-128-10 sigmoid MLP, 60,000 random samples, batch 64, SGD lr 0.1, one epoch.
    @Test(.enabled(if: environment["NN_BENCH"] != nil))
    func mlpEpoch() {
        let precision = Precision(rawValue: Self.environment["NN_BENCH_DTYPE"] ?? "float64") ?? .float64
        let data = DataGenerator.random(samples: 60_000, inputs: 784, classes: 10, seed: 1)
        var generator = SeededGenerator(seed: 1)
        var network = Network(inputCount: 784)
        network.appendLayer(units: 128, activation: .sigmoid, generator: &generator)
        network.appendLayer(units: 10, activation: .softmax, generator: &generator)
        let configuration = TrainingConfiguration(epochs: 1, learningRate: 0.1, batchSize: 64, precision: precision)
        var epochSeconds = 0.0
        let report = Trainer.train(&network, inputs: data.inputs, targets: data.targets, loss: .crossEntropy,
                                   configuration: configuration, generator: &generator,
                                   onEpoch: { record in epochSeconds = 60_000 / (record.samplesPerSecond ?? .infinity) })
        print("RESULT impl=nn-engine dtype=\(precision.rawValue) threads=\(BLAS.threads) epoch_s=\(epochSeconds) "
              + "train_loss=\(report.history.last?.loss ?? .nan) final_loss=\(report.finalLoss)")
    }
}
