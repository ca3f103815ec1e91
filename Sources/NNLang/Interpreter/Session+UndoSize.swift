import NNEngine

/// How much memory the undo stack holds: copies of a workspace share their arrays until one
/// is changed, so each array buffer is counted once, and not at all while the current
/// workspace still uses it.
extension Session {
    /// The share of `memory_limit` the undo stack may hold: a quarter.
    static let undoMemoryShare = 4
    /// The most statements `undo` goes back, however small.
    static let undoDepth = 20

    /// Drops the oldest undo entries until at most `undoDepth` remain and their own arrays fit
    /// in a quarter of `memory_limit`. The newest entry stays, so one `undo` always works.
    func trimUndoStack() {
        if undoStack.count > Session.undoDepth { undoStack.removeFirst(undoStack.count - Session.undoDepth) }
        let budget = settings.memoryLimit / Session.undoMemoryShare
        while undoStack.count > 1, undoBytes() > budget { undoStack.removeFirst() }
    }

    /// The bytes of the arrays the undo stack alone keeps alive.
    func undoBytes() -> Int {
        var seen = Set(workspace.arrayBuffers.map(\.address))
        var total = 0
        for entry in undoStack {
            for buffer in entry.workspace.arrayBuffers where seen.insert(buffer.address).inserted {
                total = total.addingReportingOverflow(buffer.bytes).overflow ? Int.max : total + buffer.bytes
            }
        }
        return total
    }
}

extension Workspace {
    /// The large arrays a workspace holds (weights, biases, batch normalization's vectors, data), by the address of their
    /// storage, which copies share until written.
    var arrayBuffers: [(address: Int, bytes: Int)] {
        var buffers: [(address: Int, bytes: Int)] = []
        func add(_ numbers: [Double]) {
            guard !numbers.isEmpty else { return }
            let address = numbers.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) }
            buffers.append((address, numbers.count * MemoryLayout<Double>.size))
        }
        for layer in network?.layers ?? [] {
            add(layer.weights.storage)
            add(layer.biases)
            if let batchNorm = layer.batchNorm {
                for vector in [batchNorm.gamma, batchNorm.beta, batchNorm.runningMean, batchNorm.runningVariance] { add(vector) }
            }
        }
        if let dataSet {
            add(dataSet.inputs.storage)
            add(dataSet.targets.storage)
        }
        if let rawInputs = features?.rawInputs { add(rawInputs.storage) }
        return buffers
    }
}
