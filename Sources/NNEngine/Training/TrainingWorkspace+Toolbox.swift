/// The training workspace's side of the toolbox: frozen layers, gradient clipping, augmented
/// inputs and L-BFGS's objective, each as `ReferenceStepper` does it on matrices.
extension TrainingWorkspace {
    /// Where the parameters of each layer not in `frozen` lie in the flat buffers: its Wᵀ and b.
    func trainableRanges(frozen: Set<Int>) -> [Range<Int>] {
        // A layer's parameters: its weights, its biases, then batch normalization's γ and β.
        layers.indices.filter { !frozen.contains($0) }.map { index in
            let layer = layers[index]
            return layer.weightOffset..<(layer.normalization.map { $0.betaOffset + layer.units } ?? layer.biasOffset + layer.units)
        }
    }

    /// `step(_:)` on the parameters in `ranges` only.
    func step(_ rule: Optimizer.Rule<Scalar>, ranges: [Range<Int>]) -> Bool {
        let theta = parameters, gradient = gradients, state = gradientState, squares = squaredGradientAverage
        var check: Scalar = 0
        for range in ranges {
            for i in range {
                let value = rule.update(theta[i], gradient: gradient[i], state: &state[i], squaredAverage: &squares[i])
                theta[i] = value
                check += value * 0 + state[i] * 0 + squares[i] * 0
            }
        }
        return check == 0
    }

    /// `GradientClipping.clip` on the gradients in `ranges`: λ₁ sign(θ) added, then all of them
    /// scaled so their global norm is at most `maxNorm`.
    func clipGradients(maxNorm: Double, l1: Double, ranges: [Range<Int>]) {
        var squares = 0.0
        for range in ranges {
            for i in range {
                if l1 != 0 { gradients[i] += Scalar(l1) * GradientClipping.sign(parameters[i]) }
                squares += Double(gradients[i]) * Double(gradients[i])
            }
        }
        let scale = Scalar(GradientClipping.factor(norm: squares.squareRoot(), maxNorm: maxNorm))
        for range in ranges {
            for i in range { gradients[i] *= scale }
        }
    }

    /// A copy of `rows` rows of `inputs` in the augmentation buffer (made on first use), augmented.
    func augmented(_ inputs: UnsafePointer<Scalar>, rows: Int, by augmentation: InputAugmentation,
                   generator: inout SeededGenerator) -> UnsafePointer<Scalar> {
        let buffer = augmentedInputs ?? makeBuffer(maxRows * inputCount)
        augmentedInputs = buffer
        buffer.update(from: inputs, count: rows * inputCount)
        augmentation.apply(to: buffer, rows: rows, columns: inputCount, generator: &generator)
        return UnsafePointer(buffer)
    }

    /// L-BFGS's objective on one batch: the loss and gradient at `theta` (in this workspace's
    /// layout), the gradients of `frozen` layers zero, with the dropout masks already drawn.
    func objective(_ theta: [Double], input: UnsafePointer<Scalar>, target: UnsafePointer<Scalar>, rows: Int, loss: Loss,
                   usesMasks: Bool, weights: UnsafePointer<Scalar>?, frozen: [Range<Int>]) -> (loss: Double, gradient: [Double]) {
        for i in 0..<parameterCount { parameters[i] = Scalar(theta[i]) }
        forward(input, rows: rows, usesMasks: usesMasks)
        let value = lossValue(loss, target: target, rows: rows, usesMasks: usesMasks, weights: weights)
        backward(input, target: target, rows: rows, loss: loss, usesMasks: usesMasks, weights: weights)
        var gradient = (0..<parameterCount).map { Double(gradients[$0]) }
        for range in frozen {
            for i in range { gradient[i] = 0 }
        }
        return (value, gradient)
    }
}
