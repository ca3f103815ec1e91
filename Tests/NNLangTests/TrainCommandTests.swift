#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NNEngine
import Testing
@testable import NNLang

/// `train` and its options, `optimizer`, `init`, `layer … init= dropout=`, `history`,
/// `evaluate` and `confusion`, checked against the engine's own trainer where weights are
/// concerned and by exact text where words are.
@Suite("Train command")
struct TrainCommandTests {
    /// XOR with a seeded 2-2-1 sigmoid network: four samples, so batches and shuffling matter.
    static let xorNetwork = "set seed 1\ndata xor\ninput 2\nlayer 2 sigmoid\nlayer 1 sigmoid"

    /// A linear unit whose validation sample (the last) wants the opposite of the training
    /// samples: the validation loss gets worse every epoch from the first.
    static let overfitting = "input 1\nlayer 1\nW1 = 0\nb1 = 0\ndata x=[[1], [2], [3], [4]] y=[[1], [2], [3], [-10]]"

    /// A linear unit that already fits its data exactly: the loss stays 0 and never improves.
    static let alreadyFitted = "input 1\nlayer 1\nW1 = 0\nb1 = 0\ndata x=[[1], [-1]] y=[[0], [0]]"

    static func session(after setup: String) throws -> (Session, Transcript) {
        try SessionTests.session(after: setup)
    }

    /// The network the engine's trainer makes from `setup`'s network and training data.
    static func engineTrained(after setup: String, _ configuration: TrainingConfiguration) throws -> Network {
        let (session, _) = try Self.session(after: setup)
        var network = try #require(session.workspace.network)
        let data = try #require(session.workspace.trainingSet)
        _ = Trainer.train(&network, inputs: data.inputs, targets: data.targets, loss: session.workspace.loss, configuration: configuration)
        return network
    }

    /// The network after running `source` on `setup`, which must succeed.
    static func trained(after setup: String, _ source: String) throws -> Network {
        let (session, _) = try Self.session(after: setup)
        let outcome = session.run(source: source)
        try #require(outcome == .completed, "\(source): \(outcome)")
        return try #require(session.workspace.network)
    }

    /// The diagnostic `source` fails with after `setup`.
    static func failure(of source: String, after setup: String) throws -> Diagnostic? {
        let (session, _) = try Self.session(after: setup)
        guard case .failed(let diagnostic) = session.run(source: source) else { return nil }
        return diagnostic
    }

    // MARK: - Optimizers

    @Test(arguments: OptimizerKind.allCases)
    func eachOptimizerTrainsAsTheEngineDoes(_ kind: OptimizerKind) throws {
        let configuration = TrainingConfiguration(epochs: 5, learningRate: 0.5, optimizer: OptimizerSettings(kind: kind))
        let expected = try Self.engineTrained(after: Self.xorNetwork, configuration)
        #expect(try Self.trained(after: Self.xorNetwork, "train epochs=5 lr=0.5 optimizer=\(kind.rawValue)") == expected)
        #expect(try Self.trained(after: Self.xorNetwork, "optimizer \(kind.rawValue)\ntrain epochs=5 lr=0.5") == expected)
        // Guards against a check that passes because every optimizer does the same thing.
        if kind != .sgd {
            #expect(try Self.trained(after: Self.xorNetwork, "train epochs=5 lr=0.5") != expected)
        }
    }

    @Test func trainOptimizerIsForOneRunAndTheOptimizerCommandStays() throws {
        let (session, transcript) = try Self.session(after: Self.xorNetwork)
        #expect(session.run(source: "train epochs=1 optimizer=adam quiet=true\noptimizer") == .completed)
        #expect(transcript.lines == ["optimizer: sgd, lr = 0.1"])
        #expect(session.run(source: "optimizer rmsprop lr=0.01\ntrain epochs=1 quiet=true\noptimizer") == .completed)
        #expect(transcript.lines.last == "optimizer: rmsprop, alpha = 0.99, eps = 1e-8, lr = 0.01")
        #expect(session.settings.optimizer == OptimizerSettings(kind: .rmsprop))
        #expect(session.settings.learningRate == 0.01)
        #expect(session.workspace.trainingHistory.map(\.learningRate) == [0.01])
    }

    static let optimizerPrintCases: [(source: String, printed: String)] = [
        ("optimizer", "optimizer: sgd, lr = 0.1"),
        ("optimizer sgd\noptimizer", "optimizer: sgd, lr = 0.1"),
        ("optimizer momentum\noptimizer", "optimizer: momentum, momentum = 0.9, lr = 0.1"),
        ("optimizer nesterov momentum=0.5\noptimizer", "optimizer: nesterov, momentum = 0.5, lr = 0.1"),
        ("optimizer adagrad\noptimizer", "optimizer: adagrad, eps = 1e-10, lr = 0.1"),
        ("optimizer rmsprop alpha=0.9 eps=1e-6\noptimizer", "optimizer: rmsprop, alpha = 0.9, eps = 1e-6, lr = 0.1"),
        ("optimizer adam lr=0.001\noptimizer", "optimizer: adam, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, lr = 0.001"),
        ("optimizer adam beta1=0.8 beta2=0.99\noptimizer", "optimizer: adam, beta1 = 0.8, beta2 = 0.99, eps = 1e-8, lr = 0.1"),
        ("optimizer momentum weight_decay=1e-4 l1=0.01\noptimizer", "optimizer: momentum, momentum = 0.9, weight_decay = 0.0001, l1 = 0.01, lr = 0.1"),
        // A new optimizer starts from its own defaults: the old one's penalties do not carry over.
        ("optimizer momentum weight_decay=1e-4\noptimizer sgd\noptimizer", "optimizer: sgd, lr = 0.1"),
    ]

    @Test(arguments: optimizerPrintCases)
    func optimizerAlonePrintsTheCurrentOne(_ testCase: (source: String, printed: String)) {
        let (session, transcript) = makeSession()
        #expect(session.run(source: testCase.source) == .completed)
        #expect(transcript.lines == [testCase.printed])
    }

    /// Each hyperparameter reaches the engine: the same run with the engine's settings.
    static let hyperparameterCases: [(options: String, settings: OptimizerSettings)] = {
        var momentum = OptimizerSettings(kind: .momentum)
        momentum.momentum = 0.5
        var nesterov = OptimizerSettings(kind: .nesterov)
        nesterov.momentum = 0.3
        var adam = OptimizerSettings(kind: .adam)
        adam.beta1 = 0.5
        adam.beta2 = 0.9
        adam.epsilon = 0.1
        var rmsprop = OptimizerSettings(kind: .rmsprop)
        rmsprop.alpha = 0.5
        var decayed = OptimizerSettings(kind: .sgd)
        decayed.weightDecay = 0.5
        var lasso = OptimizerSettings(kind: .sgd)
        lasso.l1 = 0.2
        return [
            ("optimizer=momentum momentum=0.5", momentum),
            ("optimizer=nesterov momentum=0.3", nesterov),
            ("optimizer=adam beta1=0.5 beta2=0.9 eps=0.1", adam),
            ("optimizer=rmsprop alpha=0.5", rmsprop),
            ("weight_decay=0.5", decayed),
            ("l1=0.2", lasso),
        ]
    }()

    @Test(arguments: hyperparameterCases)
    func hyperparametersReachTheOptimizer(_ testCase: (options: String, settings: OptimizerSettings)) throws {
        let configuration = TrainingConfiguration(epochs: 5, learningRate: 0.5, optimizer: testCase.settings)
        let expected = try Self.engineTrained(after: Self.xorNetwork, configuration)
        #expect(try Self.trained(after: Self.xorNetwork, "train epochs=5 lr=0.5 " + testCase.options) == expected)
        let defaults = TrainingConfiguration(epochs: 5, learningRate: 0.5, optimizer: OptimizerSettings(kind: testCase.settings.kind))
        #expect(try Self.engineTrained(after: Self.xorNetwork, defaults) != expected)
    }

    static let optionMistakes: [(source: String, message: String, span: SourceSpan)] = [
        ("train optimizer=adam momentum=0.5", "option 'momentum' applies to momentum and nesterov only", span(1, 22, 30)),
        ("train beta1=0.5", "option 'beta1' applies to adam only", span(1, 7, 12)),
        ("train optimizer=sgd beta2=0.5", "option 'beta2' applies to adam only", span(1, 21, 26)),
        ("train optimizer=adam alpha=0.5", "option 'alpha' applies to rmsprop only", span(1, 22, 27)),
        ("optimizer adam momentum=0.5", "option 'momentum' applies to momentum and nesterov only", span(1, 16, 24)),
        ("optimizer sgd beta1=0.5", "option 'beta1' applies to adam only", span(1, 15, 20)),
        ("optimizer adam\ntrain momentum=0.5", "option 'momentum' applies to momentum and nesterov only", span(2, 7, 15)),
        ("train optimizer=adamw", "unknown optimizer 'adamw'", span(1, 17, 22)),
        ("train optimizer=adam beta1=1", "beta1 must be from 0 up to (not including) 1, got 1", span(1, 28, 29)),
        ("optimizer momentum momentum=-0.1", "momentum must be from 0 up to (not including) 1, got -0.1", span(1, 29, 33)),
        ("optimizer adam eps=0", "eps must be greater than 0, got 0", span(1, 20, 21)),
        ("train weight_decay=-1", "weight_decay must be 0 or more, got -1", span(1, 20, 22)),
        ("train l1=-0.5", "l1 must be 0 or more, got -0.5", span(1, 10, 14)),
        ("train schedule=linear", "unknown schedule 'linear'", span(1, 16, 22)),
        ("train every=3", "option 'every' applies to schedule=step and schedule=cyclic only", span(1, 7, 12)),
        ("train schedule=cosine gamma=0.5", "option 'gamma' applies to schedule=step and schedule=exponential only", span(1, 23, 28)),
        ("train schedule=step min_lr=0.1", "option 'min_lr' applies to schedule=cosine, schedule=plateau and schedule=cyclic only", span(1, 21, 27)),
        ("train schedule=exponential factor=0.5", "option 'factor' applies to schedule=plateau only", span(1, 28, 34)),
        ("train lr_patience=3", "option 'lr_patience' applies to schedule=plateau only", span(1, 7, 18)),
        ("train schedule=step gamma=0", "gamma must be greater than 0, got 0", span(1, 27, 28)),
        ("train schedule=plateau factor=1", "factor must be from 0 up to (not including) 1, got 1", span(1, 31, 32)),
        ("train min_delta=0.1", "option 'min_delta' applies to early stopping, with patience=N only", span(1, 7, 16)),
        ("train restore_best=false", "option 'restore_best' applies to early stopping, with patience=N only", span(1, 7, 19)),
        ("train patience=0", "expected a whole number ≥ 1 for patience, got 0", span(1, 16, 17)),
        ("train patience=2 min_delta=-1", "min_delta must be 0 or more, got -1", span(1, 28, 30)),
        ("train validation=1", "validation must be a share between 0 and 1 leaving samples on both sides, got 1", span(1, 18, 19)),
        ("train validation=0.1", "validation must be a share between 0 and 1 leaving samples on both sides, got 0.1", span(1, 18, 21)),
        ("train log_every=0", "expected a whole number ≥ 1 for log_every, got 0", span(1, 17, 18)),
        ("train shuffle=2", "expected true or false for shuffle, got 2", span(1, 15, 16)),
        ("train quiet=0.5", "expected true or false for quiet, got 0.5", span(1, 13, 16)),
        // A misspelt word where a value goes is read as a variable name.
        ("train batch=al", "expected a whole number or all for batch, got 'al'", span(1, 13, 15)),
        ("train shuffle=yes", "expected true or false for shuffle, got 'yes'", span(1, 15, 18)),
        ("history", "no training history yet: 'train' records one", span(1, 1, 8)),
        ("train epochs=2 quiet=true\nhistory limit=1", "expected a whole number ≥ 2 for limit, got 1", span(2, 15, 16)),
    ]

    @Test(arguments: optionMistakes)
    func optionMistakesHaveExactMessages(_ testCase: (source: String, message: String, span: SourceSpan)) throws {
        let (session, _) = try Self.session(after: Self.xorNetwork)
        let before = session.workspace.network
        guard case .failed(let diagnostic) = session.run(source: testCase.source) else {
            Issue.record("\(testCase.source) did not fail")
            return
        }
        #expect(diagnostic.message == testCase.message)
        #expect(diagnostic.span == testCase.span)
        if !testCase.source.contains("\n") { #expect(session.workspace.network == before) }
    }

    @Test(arguments: [
        ("train optimizer=adamw", "did you mean 'adam'?"),
        ("train optimizer=nesterof", "did you mean 'nesterov'?"),
        ("train schedule=cosin", "did you mean 'cosine'?"),
        ("train schedule=platau", "did you mean 'plateau'?"),
    ])
    func misspeltNamesSuggestTheClosest(_ source: String, _ hint: String) throws {
        #expect(try Self.failure(of: source, after: Self.xorNetwork)?.hint == hint)
    }

    // MARK: - Schedules

    /// The rate of each epoch (1-based) as PyTorch's schedulers give it, written out by hand.
    static let scheduleCases: [(options: String, rates: [Double])] = [
        ("", [0.5, 0.5, 0.5, 0.5, 0.5, 0.5]),
        ("schedule=constant", [0.5, 0.5, 0.5, 0.5, 0.5, 0.5]),
        ("schedule=step every=2 gamma=0.5", [0.5, 0.5, 0.25, 0.25, 0.125, 0.125]),
        // every defaults to epochs / 3 = 2, gamma to 0.1.
        ("schedule=step", [0.5, 0.5, 0.05, 0.05, 0.005, 0.005]),
        ("schedule=exponential gamma=0.5", [0.5, 0.25, 0.125, 0.0625, 0.03125, 0.015625]),
        ("schedule=exponential", (0..<6).map { 0.5 * pow(0.95, Double($0)) }),
        // Period = epochs = 6: η_min + (η₀ − η_min)(1 + cos(π e/6))/2 for e = 0…5.
        ("schedule=cosine min_lr=0.1", (0..<6).map { 0.1 + 0.4 * (1 + cos(Double.pi * Double($0) / 6)) / 2 }),
        ("schedule=cosine", (0..<6).map { 0.5 * (1 + cos(Double.pi * Double($0) / 6)) / 2 }),
    ]

    @Test(arguments: scheduleCases)
    func schedulesSetEachEpochsRate(_ testCase: (options: String, rates: [Double])) throws {
        let (session, _) = try Self.session(after: mazurProgram)
        #expect(session.run(source: "train epochs=6 lr=0.5 quiet=true " + testCase.options) == .completed)
        let rates = session.workspace.trainingHistory.map(\.learningRate)
        #expect(rates.count == testCase.rates.count)
        for (rate, expected) in zip(rates, testCase.rates) {
            #expect(abs(rate - expected) <= 1e-15, "\(testCase.options): \(rates)")
        }
    }

    /// The loss of a fitted network stays 0: after the first epoch no epoch improves, so with
    /// lr_patience=1 the rate is cut after every second epoch without improvement (epochs 3, 5
    /// and 7), and the cut rate applies from the next epoch.
    @Test func plateauCutsTheRateWhenTheLossStopsImproving() throws {
        let (session, _) = try Self.session(after: Self.alreadyFitted)
        #expect(session.run(source: "train epochs=8 lr=1 schedule=plateau factor=0.5 lr_patience=1 quiet=true") == .completed)
        #expect(session.workspace.trainingHistory.map(\.learningRate) == [1, 1, 1, 0.5, 0.5, 0.25, 0.25, 0.125])
        #expect(session.run(source: "train epochs=8 lr=1 schedule=plateau factor=0.5 lr_patience=1 min_lr=0.4 quiet=true") == .completed)
        #expect(session.workspace.trainingHistory.map(\.learningRate) == [1, 1, 1, 0.5, 0.5, 0.4, 0.4, 0.4])
        // lr_patience defaults to 10: no cut in 8 epochs.
        #expect(session.run(source: "train epochs=8 lr=1 schedule=plateau quiet=true") == .completed)
        #expect(session.workspace.trainingHistory.map(\.learningRate) == Array(repeating: 1, count: 8))
    }

    @Test func historyShowsTheScheduledRate() throws {
        let (session, transcript) = try Self.session(after: mazurProgram)
        #expect(session.run(source: "train epochs=4 lr=0.5 schedule=step every=2 gamma=0.5 quiet=true\nhistory") == .completed)
        #expect(transcript.lines == [
            "epoch      loss    lr",
            "    1  0.298371   0.5",
            "    2  0.280471   0.5",
            "    3  0.261908  0.25",
            "    4  0.252432  0.25",
        ])
    }

    // MARK: - Stopping

    @Test func targetLossStopsAtTheFirstEpochThatReachesIt() throws {
        let (session, transcript) = try Self.session(after: mazurProgram)
        #expect(session.run(source: "train epochs=1000 lr=0.5 target_loss=0.1 quiet=true") == .completed)
        let history = session.workspace.trainingHistory
        #expect(history.count > 1 && history.count < 1000)
        #expect(history.last!.loss <= 0.1)
        #expect(history.dropLast().allSatisfy { $0.loss > 0.1 })
        #expect(transcript.lines.isEmpty)
        #expect(session.run(source: "train epochs=1000 lr=0.5 target_loss=0.05 log_every=1000") == .completed)
        let line = try #require(transcript.lines.last)
        #expect(line.hasPrefix("reached target_loss at epoch \(session.workspace.trainingHistory.count): E = "), "\(line)")
    }

    @Test func earlyStoppingRestoresTheBestEpochsWeights() throws {
        let (session, transcript) = try Self.session(after: Self.overfitting)
        #expect(session.run(source: "train epochs=100 lr=0.01 validation=0.25 patience=3 log_every=100") == .completed)
        #expect(session.workspace.trainingHistory.count == 4)
        let line = try #require(transcript.lines.last)
        #expect(line.hasPrefix("stopped early at epoch 4, best epoch 1, its weights restored: E = "), "\(line)")
        #expect(line.contains(", validation E = "))
        // The weights are those after one epoch.
        #expect(session.workspace.network == (try Self.trained(after: Self.overfitting, "train epochs=1 lr=0.01 validation=0.25 quiet=true")))
    }

    @Test func earlyStoppingWithoutRestoringKeepsTheLastWeights() throws {
        let (session, transcript) = try Self.session(after: Self.overfitting)
        #expect(session.run(source: "train epochs=100 lr=0.01 validation=0.25 patience=3 restore_best=false log_every=100") == .completed)
        let line = try #require(transcript.lines.last)
        #expect(line.hasPrefix("stopped early at epoch 4, best epoch 1: E = "), "\(line)")
        #expect(session.workspace.network == (try Self.trained(after: Self.overfitting, "train epochs=4 lr=0.01 validation=0.25 quiet=true")))
    }

    /// Mazur's loss falls by about 0.018 an epoch: a min_delta above that means no epoch
    /// after the first counts as better.
    @Test func minDeltaDecidesWhatCountsAsImprovement() throws {
        let (session, transcript) = try Self.session(after: mazurProgram)
        #expect(session.run(source: "train epochs=20 lr=0.5 patience=2 min_delta=0.1 log_every=20") == .completed)
        #expect(session.workspace.trainingHistory.count == 3)
        #expect(transcript.lines.last?.hasPrefix("stopped early at epoch 3, best epoch 1, its weights restored: E = ") == true)
        #expect(session.run(source: "train epochs=20 lr=0.5 patience=2 min_delta=0.001 quiet=true") == .completed)
        #expect(session.workspace.trainingHistory.count == 20)
    }

    @Test func validationHoldsOutTheLastSamplesAndRecordsTheirLoss() throws {
        let (session, transcript) = try Self.session(after: Self.overfitting)
        #expect(session.run(source: "train epochs=3 lr=0.01 validation=0.25 log_every=3") == .completed)
        let records = session.workspace.trainingHistory
        #expect(records.count == 3)
        #expect(records.allSatisfy { $0.validationLoss != nil })
        // The last sample, x = 4, y = -10, measured with the final weights.
        let network = try #require(session.workspace.network)
        let output = network.predict(Matrix([[4]]))[0, 0]
        #expect(abs(records[2].validationLoss! - (output + 10) * (output + 10)) < 1e-12)
        // Training saw the first three samples only: its loss is theirs.
        let fit = network.predict(Matrix([[1], [2], [3]]))
        let trainingLoss = (0..<3).map { (fit[$0, 0] - Double($0 + 1)) * (fit[$0, 0] - Double($0 + 1)) }.reduce(0, +) / 3
        let line = try #require(transcript.lines.last)
        #expect(line.hasPrefix("trained 3 epochs: E = \(session.formatter.format(trainingLoss)), validation E = \(session.formatter.format(records[2].validationLoss!)) ("), "\(line)")
        #expect(transcript.lines.dropLast().last?.hasPrefix("epoch 3/3: loss ") == true)
        #expect(transcript.lines.dropLast().last?.contains(", val_loss ") == true)
        // The data itself is unchanged.
        #expect(session.workspace.trainingSet?.sampleCount == 4)
        // Without validation=, nothing is recorded.
        #expect(session.run(source: "train epochs=1 quiet=true") == .completed)
        #expect(session.workspace.trainingHistory[0].validationLoss == nil)
    }

    // MARK: - Batches and shuffling

    @Test func batchSizesMatchTheEngine() throws {
        let batches: [(options: String, size: Int?)] = [("batch=1", 1), ("batch=3", 3), ("batch=all", nil), ("", nil)]
        for (options, batchSize) in batches {
            let configuration = TrainingConfiguration(epochs: 4, learningRate: 0.5, batchSize: batchSize)
            let expected = try Self.engineTrained(after: Self.xorNetwork, configuration)
            #expect(try Self.trained(after: Self.xorNetwork, "train epochs=4 lr=0.5 quiet=true " + options) == expected, "\(options)")
        }
        #expect(try Self.trained(after: Self.xorNetwork, "train epochs=4 lr=0.5 batch=1") != (try Self.trained(after: Self.xorNetwork, "train epochs=4 lr=0.5 batch=all")))
        // A batch larger than the data is the whole data.
        #expect(try Self.trained(after: Self.xorNetwork, "train epochs=4 lr=0.5 batch=100") == (try Self.trained(after: Self.xorNetwork, "train epochs=4 lr=0.5")))
    }

    @Test func shuffleIsReproducibleWithTheSeed() throws {
        let run = "set seed 9\ntrain epochs=5 lr=0.5 batch=1 shuffle=true quiet=true"
        let first = try Self.trained(after: Self.xorNetwork, run)
        #expect(try Self.trained(after: Self.xorNetwork, run) == first)
        #expect(try Self.trained(after: Self.xorNetwork, "set seed 10\ntrain epochs=5 lr=0.5 batch=1 shuffle=true quiet=true") != first)
        #expect(try Self.trained(after: Self.xorNetwork, "set seed 9\ntrain epochs=5 lr=0.5 batch=1 shuffle=false quiet=true") != first)
        // The same permutations as the engine draws from a generator seeded the same way.
        let (session, _) = try Self.session(after: Self.xorNetwork)
        var network = try #require(session.workspace.network)
        let data = try #require(session.workspace.trainingSet)
        var generator = SeededGenerator(seed: 9)
        _ = Trainer.train(&network, inputs: data.inputs, targets: data.targets, loss: session.workspace.loss,
                          configuration: TrainingConfiguration(epochs: 5, learningRate: 0.5, batchSize: 1, shuffle: true),
                          generator: &generator)
        #expect(network == first)
    }

    // MARK: - Progress

    @Test func quietPrintsNothingButRecordsHistory() throws {
        let (session, transcript) = try Self.session(after: Self.xorNetwork)
        #expect(session.run(source: "train epochs=30 quiet=true validation=0.25 patience=2") == .completed)
        #expect(transcript.lines.isEmpty)
        #expect(!session.workspace.trainingHistory.isEmpty)
        session.progressStyle = .live
        #expect(session.run(source: "train epochs=30 quiet=1") == .completed)
        #expect(transcript.lines.isEmpty)
    }

    @Test func logEveryPrintsEveryNthEpochAndTheLast() throws {
        let (session, transcript) = try Self.session(after: mazurProgram)
        #expect(session.run(source: "train epochs=7 lr=0.5 log_every=3") == .completed)
        #expect(Array(transcript.lines.dropLast()) == [
            "epoch 3/7: loss 0.2619",
            "epoch 6/7: loss 0.2051",
            "epoch 7/7: loss 0.1869",
        ])
        #expect(transcript.lines.last?.hasPrefix("trained 7 epochs: E = 0.1696496827 (") == true)
        #expect(transcript.lines.last?.hasSuffix(" s)") == true)
    }

    @Test func logEveryDefaultsToAboutTenLines() throws {
        let (session, transcript) = try Self.session(after: mazurProgram)
        #expect(session.run(source: "train epochs=25 lr=0.5") == .completed)
        let epochs = transcript.lines.dropLast().map { $0.prefix { $0 != ":" } }
        #expect(epochs == ["3", "6", "9", "12", "15", "18", "21", "24", "25"].map { "epoch \($0)/25" })
    }

    @Test func classificationLinesShowAccuracyAndValidation() throws {
        let (session, transcript) = try Self.session(after: Self.xorNetwork)
        #expect(session.run(source: "train epochs=2 lr=2 validation=0.25 log_every=1") == .completed)
        #expect(transcript.lines.count == 3)
        for line in transcript.lines.prefix(2) {
            #expect(line.wholeMatch(of: #/epoch [12]/2: loss [0-9.e-]+, val_loss [0-9.e-]+, accuracy [0-9.e-]+, val_accuracy [01]/#) != nil, "\(line)")
        }
        #expect(transcript.lines[2].wholeMatch(of: #/trained 2 epochs: E = [0-9.e-]+, validation E = [0-9.e-]+, accuracy = [0-9.e-]+ \([0-9.e-]+ s\)/#) != nil)
    }

    /// The live line is redrawn in place: carriage return, erase to the end of the line, no
    /// newline; it is cleared before the summary.
    @Test func liveProgressRedrawsOneLineAndClearsItBeforeTheSummary() throws {
        var chunks: [String] = []
        let session = Session { chunks.append($0) }
        session.progressStyle = .live
        #expect(session.run(source: mazurProgram) == .completed)
        #expect(session.run(source: "train epochs=3 lr=0.5") == .completed)
        let clear = "\r\u{1B}[K"
        try #require(chunks.count >= 4)
        let progress = chunks.dropLast(2)
        #expect(progress.allSatisfy { $0.hasPrefix(clear) && !$0.contains("\n") && $0.hasSuffix(" s left") })
        let first = try #require(progress.first)
        #expect(first.hasPrefix(clear + "epoch 1/3 " + String(repeating: "█", count: 6) + String(repeating: "░", count: 14) + " loss 0.2984, "), "\(first)")
        #expect(first.contains(" samples/s, "))
        let last = try #require(progress.last)
        #expect(last.hasPrefix(clear + "epoch 3/3 " + String(repeating: "█", count: 20) + " loss 0.2619, "), "\(last)")
        #expect(last.hasSuffix(", 0 s left"))
        #expect(chunks[chunks.count - 2] == clear)
        #expect(chunks.last?.hasPrefix("trained 3 epochs: E = ") == true)
        #expect(chunks.last?.hasSuffix(" s)\n") == true)
    }

    @Test func liveProgressWithNothingDrawnClearsNothing() throws {
        var chunks: [String] = []
        let session = Session { chunks.append($0) }
        session.progressStyle = .live
        #expect(session.run(source: mazurProgram + "\ntrain epochs=0") == .completed)
        #expect(chunks.count == 1)
        #expect(chunks[0].hasPrefix("trained 0 epochs: E = 0.2983711088 ("))
    }

    // MARK: - Dropout

    @Test func dropoutTrainsAndPredictsDeterministically() throws {
        let setup = "set seed 3\ndata circles n=40 seed=1\ninput 2\nlayer 8 relu dropout=0.5\nlayer 1 sigmoid\nloss binary_cross_entropy"
        let (session, transcript) = try Self.session(after: setup)
        let before = try #require(session.workspace.network)
        #expect(session.workspace.network?.layers.map(\.dropout) == [0.5, 0])
        #expect(session.run(source: "train epochs=20 lr=0.5 quiet=true") == .completed)
        let after = try #require(session.workspace.network)
        #expect(after != before)
        #expect(after.allParametersFinite)
        // Training drew masks: without dropout the same run ends elsewhere.
        let plain = try Self.trained(after: setup.replacing(" dropout=0.5", with: ""), "train epochs=20 lr=0.5 quiet=true")
        #expect(plain.layers[0].weights != after.layers[0].weights)
        // At inference every unit takes part, every time.
        #expect(session.run(source: "set precision 17\npredict [[0.1, 0.2], [0.5, -0.5]]\npredict [[0.1, 0.2], [0.5, -0.5]]") == .completed)
        #expect(transcript.lines.count == 2)
        #expect(transcript.lines[0] == transcript.lines[1])
        var withoutDropout = after
        withoutDropout.layers[0].dropout = 0
        let expected = withoutDropout.predict(Matrix([[0.1, 0.2], [0.5, -0.5]]))
        #expect(transcript.lines[0] == ValueFormatter(precision: 17).format(.matrix(expected)))
    }

    @Test(arguments: [
        ("layer 2 dropout=1", "dropout must be from 0 up to (not including) 1, got 1", span(1, 17, 18)),
        ("layer 2 dropout=-0.1", "dropout must be from 0 up to (not including) 1, got -0.1", span(1, 17, 21)),
    ])
    func dropoutOutOfRange(_ source: String, _ message: String, _ place: SourceSpan) throws {
        let diagnostic = try #require(try Self.failure(of: source, after: "input 2"))
        #expect(diagnostic.message == message)
        #expect(diagnostic.span == place)
    }

    // MARK: - Initializers

    /// `init NAME` redraws every layer from the generator as it stands: the same weights as
    /// layers built after `init NAME` from the same seed.
    @Test(arguments: ["xavier", "xavier_normal", "he", "he_normal", "lecun", "zeros", "uniform -0.5 0.5", "normal 0.1", "constant 0.25"])
    func initRedrawsEveryLayer(_ words: String) throws {
        let redrawn = try Self.trained(after: "set seed 5\ninput 3\nlayer 4 relu\nlayer 2", "set seed 5\ninit \(words)")
        let built = try Self.trained(after: "set seed 5\ninit \(words)\ninput 3\nlayer 4 relu\nlayer 2", "")
        #expect(redrawn == built)
        #expect(redrawn.layers.allSatisfy { $0.biases.allSatisfy { $0 == 0 } })
        if words != "xavier" {
            #expect(redrawn != (try Self.trained(after: "set seed 5\ninput 3\nlayer 4 relu\nlayer 2", "")))
        }
    }

    @Test func initUniformStaysWithinItsBounds() throws {
        let (session, transcript) = try Self.session(after: "input 20\nlayer 50\ninit uniform -0.5 0.5\ninit")
        #expect(transcript.lines == ["init: uniform -0.5 0.5"])
        let weights = try #require(session.workspace.network?.layers[0].weights.storage)
        #expect(weights.allSatisfy { $0 >= -0.5 && $0 <= 0.5 })
        // Spread across the range, not squeezed into xavier's ±0.3.
        #expect(weights.contains { $0 < -0.45 } && weights.contains { $0 > 0.45 })
        #expect(session.settings.initializer == .uniform(low: -0.5, high: 0.5))
        #expect(session.run(source: "init uniform -1, -0.5") == .completed)
        #expect(session.settings.initializer == .uniform(low: -1, high: -0.5))
        #expect(session.workspace.network?.layers[0].weights.storage.allSatisfy { $0 >= -1 && $0 <= -0.5 } == true)
    }

    @Test func layerInitializersAreKeptByReset() throws {
        let setup = "set seed 2\ninput 20\nlayer 50 init=uniform(-1, 1)\nlayer 30 relu init=he\nlayer 10 init=constant(0.25)\nlayer 2"
        let (session, _) = try Self.session(after: setup)
        #expect(session.workspace.layerInitializers == [.uniform(low: -1, high: 1), .heUniform, .constant(0.25), .xavierUniform])
        let before = try #require(session.workspace.network)
        #expect(session.run(source: "reset") == .completed)
        let after = try #require(session.workspace.network)
        #expect(after.layers[0].weights != before.layers[0].weights)
        let first = after.layers[0].weights.storage
        #expect(first.allSatisfy { abs($0) <= 1 } && first.contains { abs($0) > 0.9 })
        // he: uniform within √(6 / fan_in) = √(6/50).
        let second = after.layers[1].weights.storage
        #expect(second.allSatisfy { abs($0) <= (6.0 / 50).squareRoot() } && second.contains { abs($0) > 0.3 })
        #expect(after.layers[2].weights.storage.allSatisfy { $0 == 0.25 })
        // xavier: within √(6 / (fan_in + fan_out)) = √(6/12).
        #expect(after.layers[3].weights.storage.allSatisfy { abs($0) <= 0.5.squareRoot() })
        #expect(after.layers.allSatisfy { $0.biases.allSatisfy { $0 == 0 } })
    }

    @Test func initForEveryLayerReplacesTheLayersOwn() throws {
        let (session, _) = try Self.session(after: "input 2\nlayer 3 init=he\nlayer 1 init=constant(1)\ninit zeros\nreset")
        #expect(session.workspace.layerInitializers == [.zeros, .zeros])
        #expect(session.workspace.network?.layers.allSatisfy { $0.weights.storage.allSatisfy { $0 == 0 } } == true)
        #expect(session.run(source: "layer 2") == .completed)
        #expect(session.workspace.network?.layers[2].weights.storage.allSatisfy { $0 == 0 } == true)
    }

    static let initMistakes: [(source: String, message: String, hint: String?)] = [
        ("init uniform 1", "expected uniform LO HI with LO ≤ HI, got 1", nil),
        ("init uniform 2 1", "expected uniform LO HI with LO ≤ HI, got 2 1", nil),
        // Arguments are expressions: `-1 -0.5` is one of them, −1.5. A comma keeps them apart.
        ("init uniform -1 -0.5", "expected uniform LO HI with LO ≤ HI, got -1.5", nil),
        ("init normal", "expected normal STD with STD ≥ 0, got no arguments", nil),
        ("init normal -1", "expected normal STD with STD ≥ 0, got -1", nil),
        ("init constant 1 2", "expected constant V, got 1 2", nil),
        ("init he 2", "expected he with no arguments, got 2", nil),
        ("layer 2 init=uniform(1)", "expected uniform LO HI with LO ≤ HI, got 1", nil),
        ("layer 2 init=hee", "unknown initializer 'hee'", "did you mean 'he'?"),
        ("layer 2 init=1 + 2", "expected an initializer like he or uniform(-0.5, 0.5), got an expression", nil),
    ]

    @Test(arguments: initMistakes)
    func initMistakesHaveExactMessages(_ testCase: (source: String, message: String, hint: String?)) throws {
        let (session, _) = try Self.session(after: "input 2\nlayer 3")
        let before = session.workspace.network
        guard case .failed(let diagnostic) = session.run(source: testCase.source) else {
            Issue.record("\(testCase.source) did not fail")
            return
        }
        #expect(diagnostic.message == testCase.message)
        #expect(diagnostic.hint == testCase.hint)
        #expect(session.workspace.network == before)
        #expect(session.settings.initializer == .xavierUniform)
    }

    // MARK: - history

    @Test func historyLimitSpreadsTheRowsEvenly() throws {
        let (session, transcript) = try Self.session(after: mazurProgram)
        #expect(session.run(source: "train epochs=9 lr=0.5 quiet=true\nhistory limit=3") == .completed)
        #expect(transcript.lines.map { $0.prefix(5) } == ["epoch", "    1", "    5", "    9", "(3 of"])
        #expect(transcript.lines.last == "(3 of 9 epochs shown; history limit=N for more)")
        transcript.lines = []
        #expect(session.run(source: "history") == .completed)
        #expect(transcript.lines.count == 10)
        transcript.lines = []
        #expect(session.run(source: "history limit=9") == .completed)
        #expect(transcript.lines.count == 10)
    }

    @Test func historyHasValidationAndAccuracyColumnsWhenRecorded() throws {
        let (session, transcript) = try Self.session(after: Self.xorNetwork)
        #expect(session.run(source: "train epochs=2 lr=2 validation=0.25 quiet=true\nhistory") == .completed)
        #expect(transcript.lines.first == "epoch      loss  val_loss  accuracy  val_accuracy  lr")
        #expect(transcript.lines.count == 3)
    }

    // MARK: - class_weight

    /// Three samples of class 0 and one of class 1: balanced is 4/(2·3) and 4/(2·1).
    static let imbalanced = "data x=[[0, 1], [1, 0], [1, 1], [0, 0]] y=[[0], [0], [0], [1]]\ninput 2\nlayer 2 tanh\nlayer 1 sigmoid\nloss binary_cross_entropy\nW1 = [[0.1, -0.2], [0.3, 0.4]]\nW2 = [[0.5, -0.6]]"

    @Test(arguments: [("class_weight=balanced", [2.0 / 3, 2]), ("class_weight=[1, 3]", [1, 3]), ("class_weight=[[0.5, 2]]", [0.5, 2])])
    func classWeightTrainsAsTheEngineDoesWithThoseWeights(_ option: String, _ weights: [Double]) throws {
        var configuration = TrainingConfiguration(epochs: 5, learningRate: 0.5, measuresAccuracy: true)
        configuration.classWeights = weights
        let expected = try Self.engineTrained(after: Self.imbalanced, configuration)
        #expect(try Self.trained(after: Self.imbalanced, "train epochs=5 lr=0.5 quiet=true \(option)") == expected)
        #expect(try Self.trained(after: Self.imbalanced, "train epochs=5 lr=0.5 quiet=true") != expected, "the weights changed training")
    }

    @Test(arguments: [
        (imbalanced, "train class_weight=[1, 2, 3]", "expected balanced or 2 weights ≥ 0, one per class, for class_weight, got a vector of 3"),
        (imbalanced, "train class_weight=[1, -2]", "expected balanced or 2 weights ≥ 0, one per class, for class_weight, got a vector of 2"),
        (imbalanced, "train class_weight=balance", "unknown name 'balance'"),
        ("data sine n=10 seed=1\ninput 1\nlayer 1", "train class_weight=balanced", "option 'class_weight' applies to class data only"),
    ])
    func classWeightMistakes(_ setup: String, _ source: String, _ message: String) throws {
        #expect(try Self.failure(of: source, after: setup)?.message.hasPrefix(message) == true, "\(source)")
    }

    // MARK: - crossval

    static let irisNetwork = "set seed 3\ndata iris\nsplit test=0.2 seed=1\nnormalize standard\ninput 4\nlayer 5 tanh\nlayer 3 softmax\nloss cross_entropy"

    /// Each fold is an ordinary training run on the other folds from the same weights and draws,
    /// measured on the fold: the engine, given the same folds, gives the same lines.
    @Test func crossvalTrainsEachFoldFromTheSameStartAndMeasuresTheFoldHeldOut() throws {
        let (session, transcript) = try Self.session(after: Self.irisNetwork)
        let before = session.workspace
        var generator = session.generator
        transcript.lines = []
        #expect(session.run(source: "crossval k=4 epochs=20 lr=0.5 batch=16 shuffle=true") == .completed)

        let (network, data) = (try #require(before.network), try #require(before.trainingSet))
        let folds = Stratification.folds(order: generator.permutation(count: data.sampleCount),
                                         classes: Metrics.trueClasses(targets: data.targets), k: 4)
        var expected = ["crossval: 4 folds of 120 samples, stratified by class"]
        var losses: [Double] = []
        for (index, fold) in folds.enumerated() {
            // 40 of each species in the stratified training part: 10 of each in every fold.
            #expect(ShowCommand.classCounts(data.subset(fold)) == [10, 10, 10])
            let training = data.subset((0..<data.sampleCount).filter { !fold.contains($0) })
            var trained = network
            var foldGenerator = generator
            _ = Trainer.train(&trained, inputs: training.inputs, targets: training.targets, loss: .crossEntropy,
                              configuration: TrainingConfiguration(epochs: 20, learningRate: 0.5, batchSize: 16, shuffle: true),
                              generator: &foldGenerator)
            let test = data.subset(fold)
            let outputs = trained.predict(test.inputs)
            losses.append(Loss.crossEntropy.value(output: outputs, target: test.targets))
            let accuracy = session.formatter.format(Metrics.accuracy(outputs: outputs, targets: test.targets))
            expected.append("fold \(index + 1): E = \(session.formatter.format(losses[index])), accuracy = \(accuracy) (\(fold.count) held out)")
        }
        #expect(Array(transcript.lines.dropLast()) == expected)
        let mean = losses.reduce(0, +) / 4
        let deviation = (losses.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 4).squareRoot()
        #expect(transcript.lines.last?.hasPrefix("mean: E = \(session.formatter.format(mean)) ± \(session.formatter.format(deviation)), accuracy = ") == true)
        // The network, its history and the data are as they were; the generator moved past the folds.
        #expect(session.workspace == before)
        var after = session.generator
        #expect(after.next() == generator.next())
    }

    @Test func crossvalOnRegressionUsesPlainFoldsWithoutAccuracy() throws {
        let (session, transcript) = try Self.session(after: "data sine n=30 seed=2\ninput 1\nlayer 4 tanh\nlayer 1")
        transcript.lines = []
        #expect(session.run(source: "crossval k=3 epochs=5") == .completed)
        #expect(transcript.lines.count == 5)
        #expect(transcript.lines[0] == "crossval: 3 folds of 30 samples")
        #expect(transcript.lines[1].hasPrefix("fold 1: E = ") && transcript.lines[1].hasSuffix(" (10 held out)"))
        #expect(transcript.lines[4].hasPrefix("mean: E = ") && !transcript.lines[4].contains("accuracy"))
    }

    @Test(arguments: [
        ("data xor\ninput 2\nlayer 1 sigmoid", "crossval k=5", "k must be at most the 4 training samples, got 5"),
        ("data xor\ninput 2", "crossval", "'crossval' needs at least one layer: add one with 'layer N ACTIVATION'"),
        ("data xor\ninput 2\nlayer 1 sigmoid", "crossval validation=0.2", ""),
    ])
    func crossvalMistakes(_ setup: String, _ source: String, _ message: String) throws {
        if message.isEmpty {
            // train's validation= is not a crossval option: the folds are the validation.
            let (session, _) = try Self.session(after: setup)
            #expect(session.run(source: source) != .completed)
            return
        }
        #expect(try Self.failure(of: source, after: setup)?.message == message)
    }

    // MARK: - evaluate and confusion

    @Test func evaluateAndConfusionWithoutASplitUseTheTrainingData() throws {
        let (session, transcript) = try Self.session(after: Self.xorNetwork + "\ntrain epochs=3 lr=2 batch=2 quiet=true")
        #expect(session.run(source: "evaluate\nconfusion") == .completed)
        #expect(transcript.lines == [
            "training (no split): E = 0.2500902936, accuracy = 0.5 (2 of 4)",
            "confusion on the training (no split) data:",
            "true \\ predicted  0  1",
            "0                 1  1",
            "1                 1  1",
        ])
    }

    @Test func evaluateAndConfusionWithASplitUseTheTestPart() throws {
        let setup = "set seed 2\ndata blobs n=60 seed=4\ninput 2\nlayer 3 softmax\nloss cross_entropy\nsplit test=0.25 seed=1\ntrain epochs=30 lr=0.5 quiet=true"
        let (session, transcript) = try Self.session(after: setup)
        transcript.lines = []
        #expect(session.run(source: "evaluate\nconfusion") == .completed)
        #expect(transcript.lines == [
            "test: E = 0.6723995179, accuracy = 1 (15 of 15)",
            "confusion on the test data:",
            "true \\ predicted  0  1  2",
            "0                 5  0  0",
            "1                 0  5  0",
            "2                 0  0  5",
        ])
        // The loss is the test part's, measured independently.
        let network = try #require(session.workspace.network)
        let test = try #require(session.workspace.testSet)
        #expect(transcript.lines[0].hasPrefix("test: E = " + session.formatter.format(Loss.crossEntropy.value(output: network.predict(test.inputs), target: test.targets))))
        #expect(ShowCommand.classCounts(test) == [5, 5, 5])  // stratified: 20 of each class, a quarter held out
    }

    /// An identity layer predicts each row's largest input: (true, predicted) = (0,0), (1,1),
    /// (2,1), (2,2), (1,0). Class 0: P 1/2, R 1/1; class 1: P 1/2, R 1/2; class 2: P 1/1, R 1/2.
    @Test func reportGivesPrecisionRecallF1AndSupportWithAverages() throws {
        let setup = """
            data x=[[1, 0, 0], [0, 1, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]] y=[[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 0, 1], [0, 1, 0]]
            input 3
            layer 3
            W1 = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
            b1 = 0
            """
        let (session, transcript) = try Self.session(after: setup)
        transcript.lines = []
        #expect(session.run(source: "report") == .completed)
        #expect(transcript.lines == [
            "report on the training (no split) data:",
            "              precision  recall  f1-score  support",
            "0                0.5000  1.0000    0.6667        1",
            "1                0.5000  0.5000    0.5000        2",
            "2                1.0000  0.5000    0.6667        2",
            "",
            "accuracy                           0.6000        5",
            "macro avg        0.6667  0.6667    0.6111        5",
            "weighted avg     0.7000  0.6000    0.6000        5",
        ])
    }

    @Test func evaluateOnRegressionDataCountsSamplesAndConfusionRefuses() throws {
        let setup = "data x=[[1], [2], [3]] y=[[2], [4], [7]]\ninput 1\nlayer 1\nW1 = 2\nb1 = 0"
        let (session, transcript) = try Self.session(after: setup)
        #expect(session.run(source: "evaluate") == .completed)
        // Outputs 2, 4, 6: mse (0 + 0 + 1) / 3; R² = 1 − 1 / (114/9); MAE 1/3; RMSE √(1/3).
        #expect(transcript.lines == ["training (no split): E = 0.3333333333, R² = 0.9210526316, MAE = 0.3333333333, RMSE = 0.5773502692 (3 samples)"])
        #expect(session.run(source: "confusion") == .failed(Diagnostic(.notClassification(command: "confusion"), at: span(1, 1, 10))))
        #expect(try Self.failure(of: "report", after: setup)?.message == "'report' needs classes, and the data's targets are numbers")
        #expect(try Self.failure(of: "confusion", after: setup)?.message == "'confusion' needs classes, and the data's targets are numbers")
    }

    @Test(arguments: [
        ("", "evaluate", "'evaluate' needs a network: start with 'input N'"),
        ("input 2\nlayer 1", "evaluate", "'evaluate' needs data: give it with 'data x=MATRIX y=MATRIX'"),
        ("input 2\nlayer 1", "confusion", "'confusion' needs data: give it with 'data x=MATRIX y=MATRIX'"),
        ("input 2\nlayer 1", "report", "'report' needs data: give it with 'data x=MATRIX y=MATRIX'"),
        ("data iris\ninput 2\nlayer 1", "evaluate", "the data's x has 4 columns but the network takes 2 inputs"),
    ])
    func evaluateNeedsANetworkAndData(_ setup: String, _ source: String, _ message: String) throws {
        #expect(try Self.failure(of: source, after: setup)?.message == message)
    }
}
