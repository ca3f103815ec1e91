import Testing
import NNEngine

/// `onEpochNetwork`, which `train … watch=` draws from: the network it hands out after epoch k is
/// the one k epochs of training give, on the fast path and the reference path, and asking for it
/// does not change where training ends.
@Suite("Network after an epoch")
struct EpochNetworkTests {
    static func network() -> Network {
        var generator = SeededGenerator(seed: 11)
        var network = Network(inputCount: 2)
        network.appendLayer(units: 3, activation: .tanh, generator: &generator)
        network.appendLayer(units: 1, activation: .sigmoid, generator: &generator)
        return network
    }

    static func trained(epochs: Int, optimizer: OptimizerSettings, asking: Set<Int> = [], reference: Bool = false)
        -> (final: Network, seen: [Int: Network]) {
        var network = Self.network()
        var configuration = TrainingConfiguration(epochs: epochs, learningRate: 0.3, batchSize: 3)
        configuration.optimizer = optimizer
        var generator = SeededGenerator(seed: 1)
        var seen: [Int: Network] = [:]
        let observe: (EpochRecord, () -> Network) -> Void = { record, current in
            if asking.contains(record.epoch) { seen[record.epoch] = current() }
        }
        if reference {
            _ = Trainer.referenceTrain(&network, inputs: TrainerTests.xorInputs, targets: TrainerTests.xorTargets, loss: .binaryCrossEntropy,
                                       configuration: configuration, generator: &generator, onEpochNetwork: observe)
        } else {
            _ = Trainer.train(&network, inputs: TrainerTests.xorInputs, targets: TrainerTests.xorTargets, loss: .binaryCrossEntropy,
                              configuration: configuration, generator: &generator, onEpochNetwork: observe)
        }
        return (network, seen)
    }

    @Test(arguments: [false, true])
    func theNetworkAfterEpochKIsKEpochsOfTraining(reference: Bool) {
        let adam = OptimizerSettings.defaults(for: .adam)
        let watched = Self.trained(epochs: 12, optimizer: adam, asking: [4, 9], reference: reference)
        let short = Self.trained(epochs: 4, optimizer: adam, reference: reference).final
        let longer = Self.trained(epochs: 9, optimizer: adam, reference: reference).final
        #expect(watched.seen[4] == short)
        #expect(watched.seen[9] == longer)
        #expect(watched.seen[4] != watched.seen[9])  // not a check that passes because nothing moved
        // Asking for the network along the way leaves the end where it was.
        #expect(watched.final == Self.trained(epochs: 12, optimizer: adam, reference: reference).final)
    }
}
