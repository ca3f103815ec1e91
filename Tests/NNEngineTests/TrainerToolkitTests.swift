import Testing
import NNEngine

/// The trainer's toolkit: optimizers, schedules, shuffling, dropout, validation, accuracy,
/// stopping rules and the epoch history.
@Suite("Training toolkit")
struct TrainerToolkitTests {
    static let xorInputs = TrainerTests.xorInputs
    static let xorTargets = TrainerTests.xorTargets
    static let lineInputs = TrainerTests.lineInputs
    static let lineTargets = TrainerTests.lineTargets

    static func xorNetwork(seed: UInt64 = 42, dropout: Double = 0) -> Network {
        var generator = SeededGenerator(seed: seed)
        var network = Network(inputCount: 2)
        network.appendLayer(units: 4, activation: .tanh, generator: &generator)
        network.appendLayer(units: 1, activation: .sigmoid, generator: &generator)
        network.layers[0].dropout = dropout
        return network
    }

    /// Records without their wall-clock fields, which differ from run to run.
    static func timeless(_ history: [EpochRecord]) -> [EpochRecord] {
        history.map { record in
            var record = record
            record.seconds = 0
            record.samplesPerSecond = nil
            return record
        }
    }

    @Test func adamLearnsXor() {
        var network = Self.xorNetwork()
        var generator = SeededGenerator(seed: 1)
        let configuration = TrainingConfiguration(epochs: 500, learningRate: 0.05, optimizer: OptimizerSettings(kind: .adam),
                                                  measuresAccuracy: true)
        let before = network.loss(input: Self.xorInputs, target: Self.xorTargets, loss: .mse)
        let report = Trainer.train(&network, inputs: Self.xorInputs, targets: Self.xorTargets, loss: .mse,
                                   configuration: configuration, generator: &generator)
        #expect(before > 0.2)
        #expect(report.stopReason == .completed)
        #expect(report.epochsCompleted == 500 && report.history.count == 500)
        #expect((report.finalLoss ?? .nan) < 0.01)
        #expect(report.history.last?.accuracy == 1)
        #expect(Metrics.accuracy(outputs: network.predict(Self.xorInputs), targets: Self.xorTargets) == 1)
        // Plain gradient descent at the same rate is nowhere near after as many epochs.
        var slow = Self.xorNetwork()
        let sgd = Trainer.train(&slow, inputs: Self.xorInputs, targets: Self.xorTargets, loss: .mse,
                                configuration: TrainingConfiguration(epochs: 500, learningRate: 0.05), generator: &generator)
        #expect((sgd.finalLoss ?? .nan) > 0.1)
    }

    @Test(arguments: OptimizerKind.allCases)
    func everyOptimizerReducesTheLoss(_ kind: OptimizerKind) {
        var network = Self.xorNetwork()
        var generator = SeededGenerator(seed: 1)
        let rate = kind == .sgd || kind == .momentum || kind == .nesterov ? 0.5 : 0.02
        let report = Trainer.train(&network, inputs: Self.xorInputs, targets: Self.xorTargets, loss: .mse,
                                   configuration: TrainingConfiguration(epochs: 100, learningRate: rate,
                                                                        optimizer: OptimizerSettings(kind: kind)),
                                   generator: &generator)
        let first = report.history[0].loss
        #expect((report.finalLoss ?? .nan) < 0.95 * first, "\(kind): \(first) → \(report.finalLoss ?? .nan)")
    }

    /// The trainer steps exactly as the optimizer does by hand, batch after batch.
    @Test func trainingWithAnOptimizerIsTheOptimizerStepByStep() {
        var network = TrainerTests.linearNetwork()
        var generator = SeededGenerator(seed: 3)
        let settings = OptimizerSettings(kind: .rmsprop)
        let report = Trainer.train(&network, inputs: Self.lineInputs, targets: Self.lineTargets, loss: .mse,
                                   configuration: TrainingConfiguration(epochs: 3, learningRate: 0.1, batchSize: 2, optimizer: settings),
                                   generator: &generator)
        var replay = TrainerTests.linearNetwork()
        var optimizer = Optimizer(settings: settings, for: replay)
        var epochLosses: [Double] = []
        for _ in 0..<3 {
            var weighted = 0.0
            for range in [0..<2, 2..<4, 4..<5] {
                let gradients = replay.gradients(input: Self.lineInputs.rows(range), target: Self.lineTargets.rows(range), loss: .mse)
                weighted += gradients.loss * Double(range.count)
                #expect(optimizer.step(&replay, gradients: gradients, learningRate: 0.1))
            }
            epochLosses.append(weighted / 5)
        }
        #expect(network == replay)
        // Each epoch's loss is the batch losses' mean weighted by batch size, as they were trained on.
        #expect(report.history.map(\.loss) == epochLosses)
        #expect(report.finalLoss == replay.loss(input: Self.lineInputs, target: Self.lineTargets, loss: .mse))
    }

    // MARK: - Shuffling

    static func shuffledRun(seed: UInt64, shuffle: Bool = true) -> (network: Network, history: [EpochRecord]) {
        var network = TrainerTests.linearNetwork()
        var generator = SeededGenerator(seed: seed)
        let report = Trainer.train(&network, inputs: Self.lineInputs, targets: Self.lineTargets, loss: .mse,
                                   configuration: TrainingConfiguration(epochs: 4, learningRate: 0.01, batchSize: 2, shuffle: shuffle),
                                   generator: &generator)
        return (network, Self.timeless(report.history))
    }

    @Test func shufflingIsReproducibleForASeedAndDiffersAcrossSeeds() {
        let first = Self.shuffledRun(seed: 10)
        let again = Self.shuffledRun(seed: 10)
        #expect(first.network == again.network && first.history == again.history)
        #expect(Self.shuffledRun(seed: 11).network != first.network)
        #expect(Self.shuffledRun(seed: 10, shuffle: false).network != first.network)
        // Without shuffling the generator does not matter.
        #expect(Self.shuffledRun(seed: 10, shuffle: false).network == Self.shuffledRun(seed: 11, shuffle: false).network)
    }

    /// Each shuffled epoch visits the samples of one Fisher–Yates permutation drawn from the
    /// training generator: replaying those permutations by hand gives the same network.
    @Test func shuffledBatchesFollowTheGeneratorsPermutations() {
        let trained = Self.shuffledRun(seed: 10).network
        var replay = TrainerTests.linearNetwork()
        var generator = SeededGenerator(seed: 10)
        var order = Array(0..<5)
        for _ in 0..<4 {
            generator.shuffle(&order)
            for start in stride(from: 0, to: 5, by: 2) {
                let indices = Array(order[start..<min(start + 2, 5)])
                let gradients = replay.gradients(input: Self.lineInputs.selectingRows(indices),
                                                 target: Self.lineTargets.selectingRows(indices), loss: .mse)
                #expect(Optimizer.descend(&replay, gradients: gradients, learningRate: 0.01))
            }
        }
        #expect(trained == replay)
    }

    // MARK: - Dropout

    @Test func dropoutTrainingIsReproducibleAndDiffersFromNone() {
        func run(dropout: Double, seed: UInt64) -> Network {
            var network = Self.xorNetwork(dropout: dropout)
            var generator = SeededGenerator(seed: seed)
            _ = Trainer.train(&network, inputs: Self.xorInputs, targets: Self.xorTargets, loss: .mse,
                              configuration: TrainingConfiguration(epochs: 20, learningRate: 0.5), generator: &generator)
            return network
        }
        #expect(run(dropout: 0.5, seed: 1) == run(dropout: 0.5, seed: 1))
        #expect(run(dropout: 0.5, seed: 1) != run(dropout: 0.5, seed: 2))
        var withoutDropout = run(dropout: 0, seed: 1)
        #expect(run(dropout: 0, seed: 2) == withoutDropout)
        withoutDropout.layers[0].dropout = 0.5
        #expect(run(dropout: 0.5, seed: 1) != withoutDropout)
    }

    // MARK: - Stopping

    @Test func targetLossStopsTraining() throws {
        var network = Self.xorNetwork()
        var generator = SeededGenerator(seed: 1)
        let report = Trainer.train(&network, inputs: Self.xorInputs, targets: Self.xorTargets, loss: .mse,
                                   configuration: TrainingConfiguration(epochs: 5000, learningRate: 0.05,
                                                                        optimizer: OptimizerSettings(kind: .adam), targetLoss: 0.05),
                                   generator: &generator)
        #expect(report.stopReason == .targetLossReached)
        #expect(report.epochsCompleted < 5000 && report.epochsCompleted == report.history.count)
        let losses = report.history.map(\.loss)
        #expect(try #require(losses.last) <= 0.05)
        #expect(losses.dropLast().allSatisfy { $0 > 0.05 })
    }

    /// y = 3x for training, y = 2x for validation: from w = 0.5 the validation loss falls
    /// while w passes 2, then rises as w goes on to 3.
    static let validation = DataSet(inputs: lineInputs, targets: Matrix(column: [2, 4, 6, 8, 10]))

    static func earlyStoppingRun(_ earlyStopping: EarlyStopping?, epochs: Int = 200) -> (network: Network, report: TrainingReport) {
        var network = TrainerTests.linearNetwork()
        var generator = SeededGenerator(seed: 1)
        let report = Trainer.train(&network, inputs: Self.lineInputs, targets: Self.lineTargets, loss: .mse,
                                   configuration: TrainingConfiguration(epochs: epochs, learningRate: 0.002, batchSize: 2,
                                                                        earlyStopping: earlyStopping, validation: validation),
                                   generator: &generator)
        return (network, report)
    }

    @Test func earlyStoppingStopsAfterPatienceAndRestoresTheBestWeights() throws {
        let (network, report) = Self.earlyStoppingRun(EarlyStopping(patience: 3, restoreBest: true))
        guard case .earlyStopping(let bestEpoch) = report.stopReason else {
            Issue.record("stopped because \(report.stopReason)")
            return
        }
        let validationLosses = try report.history.map { try #require($0.validationLoss) }
        #expect(bestEpoch > 1)
        #expect(report.epochsCompleted == bestEpoch + 3)
        #expect(validationLosses[bestEpoch - 1] == validationLosses.min())
        #expect(validationLosses[bestEpoch...].allSatisfy { $0 >= validationLosses[bestEpoch - 1] })
        // The weights are those at the end of the best epoch: the same training stopped there.
        let atBest = Self.earlyStoppingRun(nil, epochs: bestEpoch).network
        #expect(network == atBest)
        #expect(report.finalValidationLoss == validationLosses[bestEpoch - 1])
        // Without restoring, the network is the one of the last epoch run.
        let (kept, keptReport) = Self.earlyStoppingRun(EarlyStopping(patience: 3, restoreBest: false))
        #expect(keptReport.stopReason == report.stopReason)
        #expect(kept == Self.earlyStoppingRun(nil, epochs: bestEpoch + 3).network)
        #expect(kept != network)
    }

    @Test(arguments: [0, 1, 4])
    func minDeltaDecidesWhatCountsAsImprovement(_ patience: Int) {
        // Nothing improves by 1e9, so the first epoch stays the best; Keras never stops after the first epoch.
        let (_, report) = Self.earlyStoppingRun(EarlyStopping(patience: patience, minDelta: 1e9))
        #expect(report.stopReason == .earlyStopping(bestEpoch: 1))
        #expect(report.epochsCompleted == max(patience + 1, 2))
    }

    @Test func earlyStoppingWithoutValidationWatchesTheTrainingLoss() {
        // The training loss keeps falling, so training runs to the end.
        var network = TrainerTests.linearNetwork()
        var generator = SeededGenerator(seed: 1)
        let report = Trainer.train(&network, inputs: Self.lineInputs, targets: Self.lineTargets, loss: .mse,
                                   configuration: TrainingConfiguration(epochs: 60, learningRate: 0.002, batchSize: 2,
                                                                        earlyStopping: EarlyStopping(patience: 2)),
                                   generator: &generator)
        #expect(report.stopReason == .completed)
        #expect(report.history.allSatisfy { $0.validationLoss == nil && $0.accuracy == nil })
    }

    // MARK: - Schedules

    @Test(arguments: [
        (LearningRateSchedule.constant, [0.1, 0.1, 0.1, 0.1, 0.1]),
        (.step(every: 2, gamma: 0.5), [0.1, 0.1, 0.05, 0.05, 0.025]),
        (.exponential(gamma: 0.1), [0.1, 0.01, 0.001, 0.0001, 0.00001]),
    ])
    func schedulesSetEachEpochsRate(_ example: (schedule: LearningRateSchedule, rates: [Double])) {
        var network = TrainerTests.linearNetwork()
        var generator = SeededGenerator(seed: 1)
        var seen: [EpochRecord] = []
        let report = Trainer.train(&network, inputs: Self.lineInputs, targets: Self.lineTargets, loss: .sse,
                                   configuration: TrainingConfiguration(epochs: 5, learningRate: 0.1, schedule: example.schedule),
                                   generator: &generator, onEpoch: { seen.append($0) })
        #expect(zip(report.history.map(\.learningRate), example.rates).allSatisfy { TestSupport.isClose($0, $1, relative: 1e-14) })
        #expect(report.history.map(\.epoch) == [1, 2, 3, 4, 5])
        #expect(seen == report.history)
        // The rates are the ones the steps used.
        var replay = TrainerTests.linearNetwork()
        for rate in report.history.map(\.learningRate) {
            let gradients = replay.gradients(input: Self.lineInputs, target: Self.lineTargets, loss: .sse)
            #expect(Optimizer.descend(&replay, gradients: gradients, learningRate: rate))
        }
        #expect(network == replay)
    }

    @Test func plateauWatchesTheValidationLoss() {
        // The validation loss rises after its best epoch, so the rate must drop then.
        var network = TrainerTests.linearNetwork()
        var generator = SeededGenerator(seed: 1)
        let report = Trainer.train(&network, inputs: Self.lineInputs, targets: Self.lineTargets, loss: .mse,
                                   configuration: TrainingConfiguration(epochs: 60, learningRate: 0.002, batchSize: 2,
                                                                        schedule: .plateau(factor: 0.5, patience: 2, threshold: 0, minimum: 0),
                                                                        validation: Self.validation),
                                   generator: &generator)
        let validationLosses = report.history.compactMap(\.validationLoss)
        let best = validationLosses.indices.min { validationLosses[$0] < validationLosses[$1] } ?? 0
        let rates = report.history.map(\.learningRate)
        #expect(best > 0 && best + 4 < rates.count)
        #expect(rates[...(best + 3)].allSatisfy { $0 == 0.002 })
        #expect(rates[best + 4] == 0.001)
    }

    // MARK: - Measurements

    @Test func accuracyOnlyForClassificationTargets() {
        var generator = SeededGenerator(seed: 1)
        var classifier = Self.xorNetwork()
        let classification = Trainer.train(&classifier, inputs: Self.xorInputs, targets: Self.xorTargets, loss: .mse,
                                           configuration: TrainingConfiguration(epochs: 2, learningRate: 0.1,
                                                                                validation: DataSet(inputs: Self.xorInputs, targets: Self.xorTargets),
                                                                                measuresAccuracy: true),
                                           generator: &generator)
        #expect(classification.history.allSatisfy { $0.accuracy != nil && $0.validationAccuracy != nil })
        var regression = TrainerTests.linearNetwork()
        let line = Trainer.train(&regression, inputs: Self.lineInputs, targets: Self.lineTargets, loss: .mse,
                                 configuration: TrainingConfiguration(epochs: 2, learningRate: 0.001, validation: Self.validation,
                                                                      measuresAccuracy: true),
                                 generator: &generator)
        #expect(line.history.allSatisfy { $0.accuracy == nil && $0.validationAccuracy == nil && $0.validationLoss != nil })
        var unmeasured = Self.xorNetwork()
        let off = Trainer.train(&unmeasured, inputs: Self.xorInputs, targets: Self.xorTargets, loss: .mse,
                                configuration: TrainingConfiguration(epochs: 2, learningRate: 0.1), generator: &generator)
        #expect(off.history.allSatisfy { $0.accuracy == nil })
    }

    /// Training accuracy is measured on each batch as it is trained on, like the loss.
    @Test func accuracyIsCountedBatchByBatch() throws {
        var network = Self.xorNetwork()
        var generator = SeededGenerator(seed: 1)
        let report = Trainer.train(&network, inputs: Self.xorInputs, targets: Self.xorTargets, loss: .mse,
                                   configuration: TrainingConfiguration(epochs: 1, learningRate: 5, batchSize: 2, measuresAccuracy: true),
                                   generator: &generator)
        var replay = Self.xorNetwork()
        var correct = 0
        for range in [0..<2, 2..<4] {
            let input = Self.xorInputs.rows(range)
            let target = Self.xorTargets.rows(range)
            correct += Metrics.correctCount(outputs: replay.predict(input), targets: target)
            #expect(Optimizer.descend(&replay, gradients: replay.gradients(input: input, target: target, loss: .mse), learningRate: 5))
        }
        #expect(try #require(report.history.first?.accuracy) == Double(correct) / 4)
    }

    @Test func timeIsMeasuredFromTheStart() {
        var network = Self.xorNetwork()
        var generator = SeededGenerator(seed: 1)
        let report = Trainer.train(&network, inputs: Self.xorInputs, targets: Self.xorTargets, loss: .mse,
                                   configuration: TrainingConfiguration(epochs: 20, learningRate: 0.1), generator: &generator)
        let seconds = report.history.map(\.seconds)
        #expect(seconds.allSatisfy { $0.isFinite && $0 >= 0 })
        #expect(zip(seconds, seconds.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(report.history.allSatisfy { ($0.samplesPerSecond ?? 1) > 0 })
    }

    // MARK: - Stopping reasons of the existing rules

    @Test func interruptionAndDivergenceAreStopReasons() {
        var network = TrainerTests.linearNetwork()
        var generator = SeededGenerator(seed: 1)
        var batches = 0
        let interrupted = Trainer.train(&network, inputs: Self.lineInputs, targets: Self.lineTargets, loss: .mse,
                                        configuration: TrainingConfiguration(epochs: 10, learningRate: 0.01, batchSize: 2),
                                        generator: &generator, shouldContinue: { _ in
                                            batches += 1
                                            return batches <= 7
                                        })
        #expect(interrupted.stopReason == .interrupted(epoch: 3))
        #expect(interrupted.interruptedAtEpoch == 3 && interrupted.divergedAtEpoch == nil)
        #expect(interrupted.history.count == 2 && interrupted.epochsCompleted == 2)

        var diverging = TrainerTests.linearNetwork()
        let diverged = Trainer.train(&diverging, inputs: Self.lineInputs, targets: Self.lineTargets, loss: .mse,
                                     configuration: TrainingConfiguration(epochs: 10_000, learningRate: 1,
                                                                          optimizer: OptimizerSettings(kind: .momentum)),
                                     generator: &generator)
        guard case .diverged(let epoch) = diverged.stopReason else {
            Issue.record("stopped because \(diverged.stopReason)")
            return
        }
        #expect(diverged.divergedAtEpoch == epoch && diverged.epochsCompleted == epoch - 1 && diverged.history.count == epoch - 1)
        #expect(diverging.allParametersFinite)
        var previous = TrainerTests.linearNetwork()
        _ = Trainer.train(&previous, inputs: Self.lineInputs, targets: Self.lineTargets, loss: .mse,
                          configuration: TrainingConfiguration(epochs: epoch - 1, learningRate: 1,
                                                               optimizer: OptimizerSettings(kind: .momentum)),
                          generator: &generator)
        #expect(diverging == previous)
    }
}
