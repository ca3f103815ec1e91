import Foundation

/// What training does to each batch's inputs before the forward pass, never to measured data.
///
/// First each sample's square image is shifted (if `shiftsImage`), then Gaussian noise is
/// added to every input (if `noise` > 0), drawing from the training generator in that order,
/// row by row; both training paths call `apply`, so they draw the same numbers.
public struct InputAugmentation: Equatable, Sendable {
    /// σ of the noise added to every input, as Keras's `GaussianNoise(σ)` in training; 0 for none.
    public var noise: Double
    /// Whether to move each sample's image by −1, 0 or 1 pixel across and down (each of the
    /// three equally likely, drawn across then down), filling what comes in with 0.
    public var shiftsImage: Bool
    /// The side of the square images a shift moves (8 for the digits); inputs = side².
    public var imageSide: Int
    /// How the inputs were normalized, x ↦ (x − offset)/scale per input, or empty: a shift moves
    /// the raw pixels (and fills with raw 0), so each pixel keeps its own normalization.
    public var pixelOffsets: [Double]
    public var pixelScales: [Double]

    public init(noise: Double = 0, shiftsImage: Bool = false, imageSide: Int = 8,
                pixelOffsets: [Double] = [], pixelScales: [Double] = []) {
        self.noise = noise
        self.shiftsImage = shiftsImage
        self.imageSide = imageSide
        self.pixelOffsets = pixelOffsets
        self.pixelScales = pixelScales
    }

    /// Augments `rows` samples of `columns` inputs in place: X: [rows, columns].
    func apply<Scalar: TrainingScalar>(to inputs: UnsafeMutablePointer<Scalar>, rows: Int, columns: Int,
                                       generator: inout SeededGenerator) {
        if shiftsImage {
            precondition(columns == imageSide * imageSide, "shifting needs \(imageSide)×\(imageSide) images, not \(columns) inputs")
            let normalized = pixelOffsets.count == columns && pixelScales.count == columns
            withUnsafeTemporaryAllocation(of: Double.self, capacity: columns) { image in
                for row in 0..<rows {
                    let across = Self.shift(&generator), down = Self.shift(&generator)
                    let sample = inputs + row * columns
                    // The raw pixels, moved, normalized again.
                    for i in 0..<columns {
                        image[i] = normalized ? Double(sample[i]) * pixelScales[i] + pixelOffsets[i] : Double(sample[i])
                    }
                    for y in 0..<imageSide {
                        for x in 0..<imageSide {
                            let (fromY, fromX) = (y - down, x - across)
                            let inside = fromY >= 0 && fromY < imageSide && fromX >= 0 && fromX < imageSide
                            let raw = inside ? image[fromY * imageSide + fromX] : 0
                            let i = y * imageSide + x
                            sample[i] = Scalar(normalized ? (raw - pixelOffsets[i]) / pixelScales[i] : raw)
                        }
                    }
                }
            }
        }
        if noise > 0 {
            for i in 0..<(rows * columns) { inputs[i] += Scalar(noise * generator.nextNormal()) }
        }
    }

    /// −1, 0 or 1, each a third of the time.
    private static func shift(_ generator: inout SeededGenerator) -> Int {
        min(Int(generator.nextDouble() * 3), 2) - 1
    }

    /// `inputs` augmented: the readable path's copy.
    func applied(to inputs: Matrix, generator: inout SeededGenerator) -> Matrix {
        var result = inputs
        result.storage.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            apply(to: base, rows: inputs.rows, columns: inputs.columns, generator: &generator)
        }
        return result
    }
}

/// Clipping by global norm, as `torch.nn.utils.clip_grad_norm_(parameters, max_norm)`:
/// every gradient of the trainable parameters is multiplied by min(1, max_norm / (‖g‖ + 1e-6)),
/// ‖g‖ the 2-norm of all of them together.
///
/// It comes where PyTorch users put it: after `loss.backward()` and the L1 term nn adds to the
/// gradients, before `optimizer.step()`, which then adds weight decay's λθ (so weight decay
/// is not clipped), as the exported script does.
public enum GradientClipping {
    /// The factor the gradients are multiplied by when their norm is `norm`.
    @inline(__always)
    public static func factor(norm: Double, maxNorm: Double) -> Double {
        min(1, maxNorm / (norm + 1e-6))
    }

    /// Clips the gradients of the layers not in `frozen` (weights, biases, and batch
    /// normalization's γ and β, as `model.parameters()` holds them), after adding λ₁ sign(θ).
    static func clip(_ gradients: inout NetworkGradients, of network: Network, maxNorm: Double, l1: Double, frozen: Set<Int>) {
        let trainable = network.layers.indices.filter { !frozen.contains($0) }
        func normalized(_ index: Int) -> BatchNorm? {
            guard index < gradients.gammas.count, !gradients.gammas[index].isEmpty else { return nil }
            return network.layers[index].batchNorm
        }
        if l1 != 0 {
            for index in trainable {
                let layer = network.layers[index]
                for i in layer.weights.storage.indices { gradients.weights[index].storage[i] += l1 * sign(layer.weights.storage[i]) }
                for i in layer.biases.indices { gradients.biases[index][i] += l1 * sign(layer.biases[i]) }
                if let batchNorm = normalized(index) {
                    for i in batchNorm.gamma.indices { gradients.gammas[index][i] += l1 * sign(batchNorm.gamma[i]) }
                    for i in batchNorm.beta.indices { gradients.betas[index][i] += l1 * sign(batchNorm.beta[i]) }
                }
            }
        }
        var squares = 0.0
        for index in trainable {
            for g in gradients.weights[index].storage { squares += g * g }
            for g in gradients.biases[index] { squares += g * g }
            if normalized(index) != nil {
                for g in gradients.gammas[index] + gradients.betas[index] { squares += g * g }
            }
        }
        let scale = factor(norm: squares.squareRoot(), maxNorm: maxNorm)
        for index in trainable {
            for i in gradients.weights[index].storage.indices { gradients.weights[index].storage[i] *= scale }
            for i in gradients.biases[index].indices { gradients.biases[index][i] *= scale }
            if normalized(index) != nil {
                for i in gradients.gammas[index].indices { gradients.gammas[index][i] *= scale }
                for i in gradients.betas[index].indices { gradients.betas[index][i] *= scale }
            }
        }
    }

    /// torch.sign: sign(0) = 0.
    @inline(__always)
    static func sign<Scalar: TrainingScalar>(_ x: Scalar) -> Scalar {
        x > 0 ? 1 : (x < 0 ? -1 : 0)
    }
}

extension Network {
    /// All weights and biases in one vector, layer by layer, each layer's weights row by row
    /// ([units, inputs], torch's order) then its biases.
    func flatParameters() -> [Double] {
        layers.flatMap { $0.weights.storage + $0.biases }
    }

    /// Sets every weight and bias from a vector in `flatParameters`'s order.
    mutating func setFlatParameters(_ values: [Double]) {
        var offset = 0
        for index in layers.indices {
            let weightCount = layers[index].weights.storage.count, biasCount = layers[index].biases.count
            layers[index].weights.storage = Array(values[offset..<(offset + weightCount)])
            layers[index].biases = Array(values[(offset + weightCount)..<(offset + weightCount + biasCount)])
            offset += weightCount + biasCount
        }
    }
}
