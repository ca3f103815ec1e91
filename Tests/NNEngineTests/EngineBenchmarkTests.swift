import Foundation
import NNKernels
import Testing
@testable import NNEngine

/// Not tests: timing harnesses, skipped unless NN_BENCH is set; they print RESULT lines.
/// `scripts/bench/run.py` runs `mlpEpoch` as a cross-check of the language's own timing.
///
///     NN_BENCH=1 NN_BENCH_DTYPE=float32 OPENBLAS_NUM_THREADS=1 \
///       swift test -c release -Xswiftc -enable-testing --filter EngineBenchmark
@Suite("Engine benchmark", .serialized)
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
              + "train_loss=\(report.history.last?.loss ?? .nan) final_loss=\(report.finalLoss ?? .nan)")
    }

    /// The two products of the 784-128-10 network's first layer, batch by batch over 60,000
    /// samples, through nn's kernels and through OpenBLAS: GFLOP/s, the median of 5 passes.
    ///
    ///     NN_BENCH=1 OPENBLAS_NUM_THREADS=1 swift test -c release -Xswiftc -enable-testing \
    ///       --filter productThroughput
    @Test(.enabled(if: environment["NN_BENCH"] != nil))
    func productThroughput() {
        let (samples, inputs, units, batch) = (60_000, 784, 128, 64)
        var generator = SeededGenerator(seed: 3)
        let x = (0..<(samples * inputs)).map { _ in generator.nextDouble() }
        var weights = (0..<(inputs * units)).map { _ in generator.nextUniform(-0.1, 0.1) }  // Wᵀ: [inputs, units]
        let delta = (0..<(batch * units)).map { _ in generator.nextUniform(-1e-3, 1e-3) }
        var net = [Double](repeating: 0, count: batch * units)
        let flops = 2.0 * Double(samples / batch * batch) * Double(inputs * units)
        let clock = ContinuousClock()
        for usesKernels in [true, false] where usesKernels == false || ProductKernels.isAvailable {
            var forward: [Double] = [], update: [Double] = []
            for _ in 0..<5 {
                var forwardTime = Duration.zero, updateTime = Duration.zero
                x.withUnsafeBufferPointer { x in
                    weights.withUnsafeMutableBufferPointer { w in
                        for first in stride(from: 0, through: samples - batch, by: batch) {
                            let rows = x.baseAddress! + first * inputs
                            let start = clock.now
                            // Z = X Wᵀ: [batch, inputs] · [inputs, units], added to Z as the bias is.
                            Double.gemm(transposeA: false, transposeB: false, m: batch, n: units, k: inputs, alpha: 1,
                                        a: rows, lda: inputs, b: w.baseAddress!, ldb: units,
                                        beta: 1, c: &net, ldc: units, usesKernels: usesKernels)
                            let middle = clock.now
                            // Wᵀ ← Wᵀ − η Xᵀ δ: [inputs, batch] · [batch, units].
                            Double.gemm(transposeA: true, transposeB: false, m: inputs, n: units, k: batch, alpha: -0.1,
                                        a: rows, lda: inputs, b: delta, ldb: units,
                                        beta: 1, c: w.baseAddress!, ldc: units, usesKernels: usesKernels)
                            forwardTime += middle - start
                            updateTime += clock.now - middle
                        }
                    }
                }
                forward.append(flops / Trainer.seconds(forwardTime) / 1e9)
                update.append(flops / Trainer.seconds(updateTime) / 1e9)
            }
            func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
            print("RESULT products=\(usesKernels ? "nn-kernels" : "openblas") threads=\(BLAS.threads) "
                  + "forward_gflops=\(median(forward)) update_gflops=\(median(update))")
        }
    }

    /// Where the kernels pay: GFLOP/s of the kernels and of OpenBLAS on shapes either side of
    /// `ProductKernels`'s limits (C 16 to 256 columns wide, k up to 2,048 for A·B and 512 for
    /// AᵀB), each the best of 3 timings of repeated calls on one thread; in float32 with
    /// NN_BENCH_DTYPE=float32 (the float kernels and sgemm).
    ///
    ///     NN_BENCH=1 OPENBLAS_NUM_THREADS=1 swift test -c release -Xswiftc -enable-testing \
    ///       --filter kernelShapes
    @Test(.enabled(if: environment["NN_BENCH"] != nil && ProductKernels.isAvailable))
    func kernelShapes() {
        if Self.environment["NN_BENCH_DTYPE"] == "float32" {
            Self.kernelShapes(Float.self) { transposeA, m, n, k, a, lda, b, c in
                if transposeA {
                    nn_kernel_product_transposed_a_float(m, n, k, 1, a, lda, b, n, 1, c, n)
                } else {
                    nn_kernel_product_float(m, n, k, 1, a, lda, b, n, 1, c, n)
                }
            }
        } else {
            Self.kernelShapes(Double.self) { transposeA, m, n, k, a, lda, b, c in
                if transposeA {
                    nn_kernel_product_transposed_a(m, n, k, 1, a, lda, b, n, 1, c, n)
                } else {
                    nn_kernel_product(m, n, k, 1, a, lda, b, n, 1, c, n)
                }
            }
        }
    }

    /// `kernelShapes` in `Scalar`, `kernel(transposeA, m, n, k, a, lda, b, c)` computing C += op(A)·B.
    static func kernelShapes<Scalar: TrainingScalar>(
        _: Scalar.Type,
        kernel: (Bool, Int, Int, Int, UnsafePointer<Scalar>, Int, UnsafePointer<Scalar>, UnsafeMutablePointer<Scalar>) -> Void
    ) {
        let shapes: [(what: String, transposeA: Bool, m: Int, n: Int, k: Int)] = [
            ("forward 784-128, batch 64", false, 64, 128, 784), ("update 784-128, batch 64", true, 784, 128, 64),
            ("forward, 10 outputs", false, 64, 10, 128), ("forward, 512 wide", false, 64, 512, 784),
            ("update, batch 1024", true, 2_048, 128, 1_024), ("square", false, 2_048, 2_048, 2_048),
        ]
        let clock = ContinuousClock()
        for shape in shapes {
            var generator = SeededGenerator(seed: 5)
            let a = (0..<(shape.m * shape.k)).map { _ in Scalar(generator.nextUniform(-1, 1)) }
            let b = (0..<(shape.k * shape.n)).map { _ in Scalar(generator.nextUniform(-1, 1)) }
            var c = [Scalar](repeating: 0, count: shape.m * shape.n)
            let flops = 2.0 * Double(shape.m * shape.n * shape.k)
            let calls = max(1, Int(2e8 / flops))
            let lda = shape.transposeA ? shape.m : shape.k
            var rates: [String] = []
            for usesKernels in [true, false] {
                var best = Double.infinity
                for _ in 0..<3 {
                    let start = clock.now
                    for _ in 0..<calls {
                        if usesKernels {
                            kernel(shape.transposeA, shape.m, shape.n, shape.k, a, lda, b, &c)
                        } else {
                            Scalar.gemm(transposeA: shape.transposeA, transposeB: false, m: shape.m, n: shape.n, k: shape.k,
                                        alpha: 1, a: a, lda: lda, b: b, ldb: shape.n, beta: 1, c: &c, ldc: shape.n, usesKernels: false)
                        }
                    }
                    best = min(best, Trainer.seconds(clock.now - start) / Double(calls))
                }
                rates.append(String(format: "%.1f", flops / best / 1e9))
            }
            // Whether ProductKernels.product gives this shape to a kernel or to OpenBLAS.
            let taken = ProductKernels.outputWidths.contains(shape.n)
                && shape.k <= (shape.transposeA ? ProductKernels.longestInnerDimensionTransposed : ProductKernels.longestInnerDimension)
            print("RESULT dtype=\(Scalar.self == Float.self ? "float32" : "float64") shape=\"\(shape.what)\" m=\(shape.m) "
                  + "n=\(shape.n) k=\(shape.k) taken=\(taken) kernel_gflops=\(rates[0]) openblas_gflops=\(rates[1])")
        }
    }
}

