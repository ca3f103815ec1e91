import NNEngine
import Testing
@testable import NNLang

/// freeze and unfreeze, and train's toolbox options (rprop, lbfgs, warmup=, clip=, noise=,
/// augment=): what reaches the engine, and the exact words of their mistakes. The numbers
/// themselves are held to PyTorch by the engine's ToolboxTests.
@Suite("Toolbox commands")
struct ToolboxCommandTests {
    static let xor = TrainCommandTests.xorNetwork

    /// The message and the text under the caret of running `source` after `setup`.
    static func failure(_ source: String, after setup: String = xor) throws -> (message: String, underlined: String) {
        let (session, _) = try SessionTests.session(after: setup)
        guard case .failed(let diagnostic) = session.run(source: source) else {
            Issue.record("\(source) did not fail")
            return ("", "")
        }
        let span = try #require(diagnostic.span)
        let line = source.split(separator: "\n", omittingEmptySubsequences: false)[span.start.line - 1]
        let characters = Array(line)
        return (diagnostic.message, String(characters[(span.start.column - 1)..<min(span.end.column - 1, characters.count)]))
    }

    @Test func aFrozenLayerStaysAndTheOthersLearn() throws {
        let (session, transcript) = try SessionTests.session(after: Self.xor + "\nfreeze 1")
        let before = try #require(session.workspace.network)
        #expect(session.run(source: "train epochs=20 lr=0.5 optimizer=adam\nstep lr=0.5") == .completed)
        let after = try #require(session.workspace.network)
        #expect(after.layers[0] == before.layers[0])
        #expect(after.layers[1] != before.layers[1])
        transcript.lines = []
        #expect(session.run(source: "summary") == .completed)
        #expect(transcript.lines.last == "trainable parameters: 3, frozen: 6 (layer 1)")
        #expect(session.run(source: "unfreeze 1\ntrain epochs=2") == .completed)
        #expect(session.workspace.network?.layers[0] != before.layers[0])
    }

    @Test func explainStepShowsAFrozenLayerStaying() throws {
        let (session, transcript) = try SessionTests.session(after: "example mazur\nfreeze 1")
        let before = try #require(session.workspace.network)
        transcript.lines = []
        #expect(session.run(source: "explain step") == .completed)
        #expect(transcript.lines.contains("  w1⁺    = w1 = 0.15 (frozen)"))
        #expect(transcript.lines.contains { $0.hasPrefix("  w5⁺    = w5 - η ∂E/∂w5 = 0.4 - 0.1 × ") })
        let after = try #require(session.workspace.network)
        #expect(after.layers[0] == before.layers[0] && after.layers[1] != before.layers[1])
    }

    @Test func freezingIsWorkspaceState() throws {
        let (session, _) = try SessionTests.session(after: Self.xor)
        #expect(session.run(source: "freeze 2") == .completed)
        #expect(session.workspace.frozenLayers == [1])
        #expect(session.run(source: "undo") == .completed)
        #expect(session.workspace.frozenLayers.isEmpty)
        #expect(session.run(source: "freeze 2\nclear") == .completed)
        #expect(session.workspace.frozenLayers.isEmpty)
    }

    @Test func theOptionsReachTheConfiguration() throws {
        let (session, _) = try SessionTests.session(after: Self.xor + "\nfreeze 2")
        #expect(session.run(source: "train epochs=8 optimizer=momentum clip=0.5 noise=0.1 warmup=2 schedule=cyclic every=3 quiet=true") == .completed)
        let ran = try #require(session.workspace.lastTraining)
        #expect(ran.clipNorm == 0.5 && ran.frozenLayers == [1] && ran.warmupEpochs == 2)
        #expect(ran.augmentation == InputAugmentation(noise: 0.1))
        #expect(ran.schedule == .cyclic(minimum: 0.01, every: 3))
        #expect(session.run(source: "train epochs=10 schedule=onecycle warmup=4 quiet=true") == .completed)
        #expect(session.workspace.lastTraining?.schedule == .oneCycle(epochs: 6))
        #expect(session.run(source: "optimizer lbfgs history_size=5 max_iter=4 line_search=strong_wolfe tolerance_grad=1e-6 tolerance_change=1e-8") == .completed)
        var expected = OptimizerSettings(kind: .lbfgs)
        (expected.historySize, expected.maxIterations, expected.strongWolfe) = (5, 4, true)
        (expected.toleranceGradient, expected.toleranceChange) = (1e-6, 1e-8)
        #expect(session.settings.optimizer == expected)
        #expect(session.run(source: "optimizer rprop eta_minus=0.4 eta_plus=1.3 step_min=1e-5 step_max=2") == .completed)
        #expect(session.settings.optimizer.etaMinus == 0.4 && session.settings.optimizer.etaPlus == 1.3
                && session.settings.optimizer.stepMinimum == 1e-5 && session.settings.optimizer.stepMaximum == 2)
    }

    @Test func theNewOptimizersPrintTheirConstants() throws {
        let (session, transcript) = try SessionTests.session(after: "optimizer rprop\noptimizer\noptimizer lbfgs lr=1\noptimizer")
        #expect(transcript.lines == [
            "optimizer: rprop, eta_minus = 0.5, eta_plus = 1.2, step_min = 1e-6, step_max = 50, lr = 0.1",
            "optimizer: lbfgs, history_size = 100, max_iter = 20, tolerance_grad = 1e-7, tolerance_change = 1e-9, line_search = none, lr = 1",
        ])
        _ = session
    }

    @Test func fannsVariantStartsFromItsOwnDefaults() throws {
        let (session, transcript) = try SessionTests.session(after: "optimizer rprop variant=fann\noptimizer")
        #expect(session.settings.optimizer.fannRprop && session.settings.optimizer.stepMinimum == 0)
        #expect(transcript.lines == ["optimizer: rprop, eta_minus = 0.5, eta_plus = 1.2, step_min = 0, step_max = 50, variant = fann, lr = 0.1"])
    }

    @Test func noiseIsSeededAndChangesTraining() throws {
        func trained(_ options: String) throws -> Network {
            let (session, _) = try SessionTests.session(after: Self.xor)
            #expect(session.run(source: "train epochs=5 quiet=true " + options) == .completed)
            return try #require(session.workspace.network)
        }
        #expect(try trained("noise=0.2") == trained("noise=0.2"))
        #expect(try trained("noise=0.2") != trained(""))
        #expect(try trained("noise=0") == trained(""))
    }

    static let mistakes: [(source: String, message: String, underlined: String)] = [
        ("train optimizer=lbfgs batch=2", "option 'batch' applies to first-order optimizers (lbfgs steps on the whole data set) only", "batch"),
        ("train augment=shift", "expected 8×8 images (64 inputs) for augment=shift, got 2 inputs", "shift"),
        ("train schedule=plateau warmup=2", "option 'warmup' applies to schedules other than plateau only", "warmup"),
        ("train optimizer=rprop eta_plus=1", "eta_plus must be greater than 1, got 1", "1"),
        ("train optimizer=rprop step_min=2 step_max=1", "step_min must be at most step_max (1), got 2", "2"),
        ("train optimizer=lbfgs clip=1", "option 'clip' applies to sgd, momentum, nesterov, adagrad, rmsprop, adam and rprop only", "clip"),
        ("train optimizer=rprop weight_decay=0.1", "option 'weight_decay' applies to sgd, momentum, nesterov, adagrad, rmsprop and adam only", "weight_decay"),
        ("train optimizer=adam history_size=3", "option 'history_size' applies to lbfgs only", "history_size"),
        ("freeze 3", "expected a whole number from 1 to 2 for a layer number, got 3", "3"),
        ("clear\ninput 2\nlayer 4 relu batchnorm=true\nlayer 1 sigmoid\ndata xor\ntrain optimizer=lbfgs",
         "expected a first-order optimizer for a network with batch normalization (lbfgs evaluates the loss many times a step, and batch statistics would move the running ones each time), got lbfgs",
         "lbfgs"),
    ]

    @Test(arguments: mistakes)
    func mistakesHaveExactMessages(_ test: (source: String, message: String, underlined: String)) throws {
        let (message, underlined) = try Self.failure(test.source)
        #expect(message == test.message)
        #expect(underlined == test.underlined)
    }
}
