import Foundation
import NNEngine
import Testing
@testable import NNLang

/// Walks the command table: every command runs as a value, every option its spec declares is
/// read by its `run`, and every default help shows is the default used.
@Suite("Command registry")
struct CommandRegistryTests {
    /// A statement that runs to completion after `setup`; `{}` stands for an option's value.
    struct Scenario: CustomTestStringConvertible, Sendable {
        var setup: String
        var statement: String
        /// The option's value used where the statement has `{}`.
        var sample: String = ""

        var testDescription: String { statement }

        func statement(with value: String) -> String {
            statement.replacingOccurrences(of: "{}", with: value)
        }
    }

    static let network = "input 2\nlayer 3 tanh\nlayer 1 sigmoid\nloss binary_cross_entropy\ndata circles n=40 seed=1"
    static let iris = "data iris\nsplit test=0.2 seed=1\nnormalize standard\ninput 4\nlayer 5 tanh\nlayer 3 softmax\nloss cross_entropy"

    /// A run of every command, for those whose options alone do not run it.
    static let commands: [String: Scenario] = [
        "input": Scenario(setup: "", statement: "input 3"),
        "layer": Scenario(setup: "input 2", statement: "layer 2 sigmoid"),
        "loss": Scenario(setup: mazurProgram, statement: "loss"),
        "init": Scenario(setup: mazurProgram, statement: "init he"),
        "summary": Scenario(setup: mazurProgram, statement: "summary"),
        "reset": Scenario(setup: mazurProgram, statement: "reset"),
        "clear": Scenario(setup: mazurProgram, statement: "clear"),
        "expect": Scenario(setup: mazurProgram, statement: "expect loss > 0.2"),
        "example": Scenario(setup: "", statement: "example mazur"),
        "snapshot": Scenario(setup: mazurProgram, statement: "snapshot s"),
        "restore": Scenario(setup: mazurProgram + "\nsnapshot s", statement: "restore s"),
        "undo": Scenario(setup: mazurProgram, statement: "undo"),
        "save": Scenario(setup: mazurProgram, statement: "save \"{folder}/m.nnm\""),
        "load": Scenario(setup: mazurProgram + "\nsave \"{folder}/m.nnm\"", statement: "load \"{folder}/m.nnm\""),
        "export": Scenario(setup: mazurProgram, statement: "export W1 \"{folder}/w.npy\""),
        "set": Scenario(setup: "", statement: "set precision 4"),
        "time": Scenario(setup: "", statement: "time print 1"),
        "help": Scenario(setup: "", statement: "help train"),
        "show": Scenario(setup: "data iris", statement: "show data"),
        "normalize": Scenario(setup: "data iris", statement: "normalize minmax"),
        "evaluate": Scenario(setup: iris, statement: "evaluate"),
        "confusion": Scenario(setup: iris, statement: "confusion"),
        "report": Scenario(setup: iris, statement: "report"),
        "forward": Scenario(setup: mazurProgram, statement: "forward"),
        "grad": Scenario(setup: mazurProgram, statement: "grad w5"),
        "predict": Scenario(setup: mazurProgram, statement: "predict [0.05, 0.1]"),
        "print": Scenario(setup: "", statement: "print 1, 2"),
        "draw": Scenario(setup: mazurProgram, statement: "draw"),
        "quit": Scenario(setup: "", statement: "quit"),
        "exit": Scenario(setup: "", statement: "exit"),
        "freeze": Scenario(setup: mazurProgram, statement: "freeze 1"),
        "unfreeze": Scenario(setup: mazurProgram + "\nfreeze 1", statement: "unfreeze 1"),
    ]

    /// A run of every option, keyed "command option", that reads it: crossval's are train's
    /// run options, on two folds.
    static let options: [String: Scenario] = trainAndOptimizerOptions.merging(crossvalOptions) { first, _ in first }

    static let crossvalOptions: [String: Scenario] = {
        var scenarios = ["crossval k": Scenario(setup: network, statement: "crossval k={} epochs=3", sample: "3")]
        for option in TrainingOptions.specs {
            guard let train = trainAndOptimizerOptions["train \(option.name)"] else { continue }
            scenarios["crossval \(option.name)"] = Scenario(
                setup: train.setup, statement: train.statement.replacingOccurrences(of: "train ", with: "crossval k=2 "), sample: train.sample)
        }
        return scenarios
    }()

    static let trainAndOptimizerOptions: [String: Scenario] = [
        "export dtype": Scenario(setup: mazurProgram, statement: "export model \"{folder}/m.onnx\" dtype={}", sample: "float32"),
        "layer alpha": Scenario(setup: "input 2", statement: "layer 2 leaky_relu alpha={}", sample: "0.2"),
        "layer init": Scenario(setup: "input 2", statement: "layer 2 tanh init={}", sample: "uniform(-0.5, 0.5)"),
        "layer dropout": Scenario(setup: "input 2", statement: "layer 2 relu dropout={}", sample: "0.25"),
        "layer batchnorm": Scenario(setup: "input 2", statement: "layer 2 relu batchnorm={}", sample: "true"),
        "loss delta": Scenario(setup: mazurProgram, statement: "loss huber delta={}", sample: "0.5"),
        "data x": Scenario(setup: "", statement: "data x={} y=[[1], [0]]", sample: "[[0, 1], [1, 0]]"),
        "data y": Scenario(setup: "", statement: "data x=[[0, 1], [1, 0]] y={}", sample: "[[1], [0]]"),
        "data target": Scenario(setup: "", statement: "data \"{folder}/t.csv\" target={}", sample: "c"),
        "data sep": Scenario(setup: "", statement: "data \"{folder}/t.csv\" sep={}", sample: "\",\""),
        "data header": Scenario(setup: "", statement: "data \"{folder}/t.csv\" header={}", sample: "true"),
        "data features": Scenario(setup: "", statement: "data circles n=20 seed=3 features={}", sample: "[x1^2, x2^2]"),
        "data n": Scenario(setup: "", statement: "data circles n={} seed=3", sample: "30"),
        "data samples": Scenario(setup: "", statement: "data moons samples={} seed=3", sample: "30"),
        "data noise": Scenario(setup: "", statement: "data circles noise={} seed=3", sample: "0.2"),
        "data seed": Scenario(setup: "", statement: "data spirals seed={}", sample: "5"),
        "data classes": Scenario(setup: "", statement: "data blobs classes={} seed=3", sample: "4"),
        "data inputs": Scenario(setup: "", statement: "data blobs inputs={} seed=3", sample: "3"),
        "split test": Scenario(setup: "data iris", statement: "split test={} seed=2", sample: "0.3"),
        "split seed": Scenario(setup: "data iris", statement: "split seed={}", sample: "2"),
        "split stratify": Scenario(setup: "data iris", statement: "split seed=2 stratify={}", sample: "false"),
        "step lr": Scenario(setup: mazurProgram, statement: "step lr={}", sample: "0.5"),
        "train epochs": Scenario(setup: network, statement: "train epochs={}", sample: "3"),
        "train lr": Scenario(setup: network, statement: "train epochs=3 lr={}", sample: "0.5"),
        "train batch": Scenario(setup: network, statement: "train epochs=3 batch={}", sample: "8"),
        "train shuffle": Scenario(setup: network, statement: "train epochs=3 batch=8 shuffle={}", sample: "true"),
        "train optimizer": Scenario(setup: network, statement: "train epochs=3 optimizer={}", sample: "adam"),
        "train momentum": Scenario(setup: network, statement: "train epochs=3 optimizer=momentum momentum={}", sample: "0.8"),
        "train beta1": Scenario(setup: network, statement: "train epochs=3 optimizer=adam beta1={}", sample: "0.8"),
        "train beta2": Scenario(setup: network, statement: "train epochs=3 optimizer=adam beta2={}", sample: "0.99"),
        "train eps": Scenario(setup: network, statement: "train epochs=3 optimizer=rmsprop eps={}", sample: "1e-6"),
        "train alpha": Scenario(setup: network, statement: "train epochs=3 optimizer=rmsprop alpha={}", sample: "0.9"),
        "train weight_decay": Scenario(setup: network, statement: "train epochs=3 weight_decay={}", sample: "0.01"),
        "train l1": Scenario(setup: network, statement: "train epochs=3 l1={}", sample: "0.01"),
        "train schedule": Scenario(setup: network, statement: "train epochs=6 schedule={}", sample: "cosine"),
        "train every": Scenario(setup: network, statement: "train epochs=6 schedule=step every={}", sample: "2"),
        "train gamma": Scenario(setup: network, statement: "train epochs=6 schedule=exponential gamma={}", sample: "0.5"),
        "train min_lr": Scenario(setup: network, statement: "train epochs=6 schedule=cosine min_lr={}", sample: "0.01"),
        "train factor": Scenario(setup: network, statement: "train epochs=6 schedule=plateau factor={}", sample: "0.5"),
        "train lr_patience": Scenario(setup: network, statement: "train epochs=6 schedule=plateau lr_patience={}", sample: "1"),
        "train target_loss": Scenario(setup: network, statement: "train epochs=6 target_loss={}", sample: "0.5"),
        "train patience": Scenario(setup: network, statement: "train epochs=6 patience={}", sample: "2"),
        "train min_delta": Scenario(setup: network, statement: "train epochs=6 patience=2 min_delta={}", sample: "0.001"),
        "train restore_best": Scenario(setup: network, statement: "train epochs=6 patience=2 restore_best={}", sample: "false"),
        "train class_weight": Scenario(setup: network, statement: "train epochs=3 class_weight={}", sample: "balanced"),
        "train validation": Scenario(setup: network, statement: "train epochs=3 validation={}", sample: "0.25"),
        "train log_every": Scenario(setup: network, statement: "train epochs=6 log_every={}", sample: "2"),
        "train quiet": Scenario(setup: network, statement: "train epochs=3 quiet={}", sample: "true"),
        "optimizer lr": Scenario(setup: "", statement: "optimizer adam lr={}", sample: "0.01"),
        "optimizer momentum": Scenario(setup: "", statement: "optimizer nesterov momentum={}", sample: "0.5"),
        "optimizer beta1": Scenario(setup: "", statement: "optimizer adam beta1={}", sample: "0.5"),
        "optimizer beta2": Scenario(setup: "", statement: "optimizer adam beta2={}", sample: "0.9"),
        "optimizer eps": Scenario(setup: "", statement: "optimizer adagrad eps={}", sample: "1e-7"),
        "optimizer alpha": Scenario(setup: "", statement: "optimizer rmsprop alpha={}", sample: "0.5"),
        "optimizer weight_decay": Scenario(setup: "", statement: "optimizer sgd weight_decay={}", sample: "0.1"),
        "optimizer l1": Scenario(setup: "", statement: "optimizer sgd l1={}", sample: "0.1"),
        "history limit": Scenario(setup: network + "\ntrain epochs=30 quiet=true", statement: "history limit={}", sample: "5"),
        "explain limit": Scenario(setup: mazurProgram, statement: "explain step limit={}", sample: "3"),
        "explain sample": Scenario(setup: mazurProgram, statement: "explain forward sample={}", sample: "1"),
        "explain lr": Scenario(setup: mazurProgram, statement: "explain step lr={}", sample: "0.5"),
        "gradcheck eps": Scenario(setup: mazurProgram, statement: "gradcheck w5 eps={}", sample: "1e-5"),
        "gradcheck all": Scenario(setup: mazurProgram, statement: "gradcheck all={}", sample: "true"),
        "deriv h": Scenario(setup: "", statement: "deriv tanh at 0.5 h={}", sample: "1e-4"),
        "table from": Scenario(setup: "", statement: "table relu from={}", sample: "-2"),
        "table to": Scenario(setup: "", statement: "table relu to={}", sample: "2"),
        "table step": Scenario(setup: "", statement: "table relu step={}", sample: "0.5"),
        "plot from": Scenario(setup: "", statement: "plot sigmoid from={}", sample: "-6"),
        "plot to": Scenario(setup: "", statement: "plot sigmoid to={}", sample: "6"),
        "plot width": Scenario(setup: "", statement: "plot tanh width={}", sample: "60"),
        "plot height": Scenario(setup: "", statement: "plot tanh height={}", sample: "10"),
        "plot layer": Scenario(setup: network, statement: "plot boundary layer={}", sample: "1"),
        "plot unit": Scenario(setup: network, statement: "plot boundary unit={}", sample: "1"),
        "plot runs": Scenario(setup: network + "\ntrain epochs=3 run=a quiet=true", statement: "plot loss runs={}", sample: "[a, last]"),
        "train run": Scenario(setup: network, statement: "train epochs=3 run={}", sample: "first"),
        "train watch": Scenario(setup: network, statement: "train epochs=3 watch={}", sample: "neurons"),
        "train watch_every": Scenario(setup: network, statement: "train epochs=6 watch=loss watch_every={}", sample: "2"),
        "expect tol": Scenario(setup: mazurProgram, statement: "expect loss == 0.2983711 tol={}", sample: "1e-6"),
        "plot path": Scenario(setup: "descend x^2 + y^2 from=[1, 1] steps=3", statement: "plot x^2 + y^2 path={}", sample: "path"),
        "plot paths": Scenario(setup: "descend x^2 + y^2 from=[1, 1] steps=3 as=p", statement: "plot x^2 + y^2 paths={}", sample: "[p, p]"),
        "descend from": Scenario(setup: "", statement: "descend x^2 + y^2 from={} steps=3", sample: "[1, 2]"),
        "descend optimizer": Scenario(setup: "", statement: "descend x^2 + y^2 from=[1, 2] steps=3 optimizer={}", sample: "adam"),
        "descend lr": Scenario(setup: "", statement: "descend x^2 + y^2 from=[1, 2] steps=3 lr={}", sample: "0.05"),
        "descend steps": Scenario(setup: "", statement: "descend x^2 + y^2 from=[1, 2] steps={}", sample: "7"),
        "descend as": Scenario(setup: "", statement: "descend x^2 + y^2 from=[1, 2] steps=3 as={}", sample: "walk"),
        "descend momentum": Scenario(setup: "", statement: "descend x^2 + y^2 from=[1, 2] steps=3 optimizer=momentum momentum={}", sample: "0.5"),
        "descend beta1": Scenario(setup: "", statement: "descend x^2 + y^2 from=[1, 2] steps=3 optimizer=adam beta1={}", sample: "0.8"),
        "descend beta2": Scenario(setup: "", statement: "descend x^2 + y^2 from=[1, 2] steps=3 optimizer=adam beta2={}", sample: "0.99"),
        "descend eps": Scenario(setup: "", statement: "descend x^2 + y^2 from=[1, 2] steps=3 optimizer=rmsprop eps={}", sample: "1e-6"),
        "descend alpha": Scenario(setup: "", statement: "descend x^2 + y^2 from=[1, 2] steps=3 optimizer=rmsprop alpha={}", sample: "0.9"),
        "descend weight_decay": Scenario(setup: "", statement: "descend x^2 + y^2 from=[1, 2] steps=3 weight_decay={}", sample: "0.1"),
        "descend l1": Scenario(setup: "", statement: "descend x^2 + y^2 from=[1, 2] steps=3 l1={}", sample: "0.1"),
        "descend eta_minus": Scenario(setup: "", statement: "descend x^2 + y^2 from=[1, 2] steps=3 optimizer=rprop eta_minus={}", sample: "0.3"),
        "descend eta_plus": Scenario(setup: "", statement: "descend x^2 + y^2 from=[1, 2] steps=3 optimizer=rprop eta_plus={}", sample: "1.5"),
        "descend step_min": Scenario(setup: "", statement: "descend x^2 + y^2 from=[1, 2] steps=3 optimizer=rprop step_min={}", sample: "1e-4"),
        "descend step_max": Scenario(setup: "", statement: "descend x^2 + y^2 from=[1, 2] steps=3 optimizer=rprop step_max={}", sample: "1"),
        "descend variant": Scenario(setup: "", statement: "descend x^2 + y^2 from=[1, 2] steps=3 optimizer=rprop variant={}", sample: "fann"),
        "train eta_minus": Scenario(setup: network, statement: "train epochs=3 optimizer=rprop eta_minus={}", sample: "0.3"),
        "train eta_plus": Scenario(setup: network, statement: "train epochs=3 optimizer=rprop eta_plus={}", sample: "1.5"),
        "train step_min": Scenario(setup: network, statement: "train epochs=3 optimizer=rprop step_min={}", sample: "1e-4"),
        "train step_max": Scenario(setup: network, statement: "train epochs=3 optimizer=rprop step_max={}", sample: "1"),
        "train history_size": Scenario(setup: network, statement: "train epochs=3 optimizer=lbfgs history_size={}", sample: "5"),
        "train max_iter": Scenario(setup: network, statement: "train epochs=3 optimizer=lbfgs max_iter={}", sample: "5"),
        "train tolerance_grad": Scenario(setup: network, statement: "train epochs=3 optimizer=lbfgs tolerance_grad={}", sample: "1e-5"),
        "train tolerance_change": Scenario(setup: network, statement: "train epochs=3 optimizer=lbfgs tolerance_change={}", sample: "1e-6"),
        "train line_search": Scenario(setup: network, statement: "train epochs=3 optimizer=lbfgs line_search={}", sample: "strong_wolfe"),
        "train warmup": Scenario(setup: network, statement: "train epochs=6 warmup={}", sample: "2"),
        "train clip": Scenario(setup: network, statement: "train epochs=3 clip={}", sample: "0.1"),
        "train noise": Scenario(setup: network, statement: "train epochs=3 noise={}", sample: "0.1"),
        "train augment": Scenario(setup: "data digits\ninput 64\nlayer 10 softmax\nloss cross_entropy",
                                  statement: "train epochs=1 augment={}", sample: "shift"),
        "train variant": Scenario(setup: network, statement: "train epochs=3 optimizer=rprop variant={}", sample: "fann"),
        "optimizer variant": Scenario(setup: "", statement: "optimizer rprop variant={}", sample: "fann"),
        "optimizer eta_minus": Scenario(setup: "", statement: "optimizer rprop eta_minus={}", sample: "0.3"),
        "optimizer eta_plus": Scenario(setup: "", statement: "optimizer rprop eta_plus={}", sample: "1.5"),
        "optimizer step_min": Scenario(setup: "", statement: "optimizer rprop step_min={}", sample: "1e-4"),
        "optimizer step_max": Scenario(setup: "", statement: "optimizer rprop step_max={}", sample: "1"),
        "optimizer history_size": Scenario(setup: "", statement: "optimizer lbfgs history_size={}", sample: "5"),
        "optimizer max_iter": Scenario(setup: "", statement: "optimizer lbfgs max_iter={}", sample: "5"),
        "optimizer tolerance_grad": Scenario(setup: "", statement: "optimizer lbfgs tolerance_grad={}", sample: "1e-5"),
        "optimizer tolerance_change": Scenario(setup: "", statement: "optimizer lbfgs tolerance_change={}", sample: "1e-6"),
        "optimizer line_search": Scenario(setup: "", statement: "optimizer lbfgs line_search={}", sample: "strong_wolfe"),
    ]

    // MARK: - Running

    /// Runs `setup` then `statement` in a fresh session (file names under a fresh folder, which
    /// holds a small CSV file `t.csv`) and
    /// returns the outcome, what was printed, the final workspace and every invocation.
    static func run(setup: String, statement: String) throws -> (outcome: ExecutionOutcome, lines: [String], workspace: Workspace, invocations: [Invocation]) {
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(folder) }
        // A CSV file for `data "FILE" target=…`.
        try "a,b,c\n1,2,x\n3,4,y\n5,6,x\n".write(toFile: folder + "/t.csv", atomically: true, encoding: .utf8)
        let (session, transcript) = makeSession()
        let setupOutcome = session.run(source: setup.replacingOccurrences(of: "{folder}", with: folder))
        #expect(setupOutcome == .completed, "setup of \(statement)")
        var invocations: [Invocation] = []
        session.observeCommand = { invocations.append($0) }
        let start = transcript.lines.count
        let outcome = session.run(source: statement.replacingOccurrences(of: "{folder}", with: folder))
        let lines = transcript.lines[start...].map { line in
            // Wall times differ from run to run.
            line.replacingOccurrences(of: #"\(\d[\d.e+-]* s\)"#, with: "(… s)", options: .regularExpression)
        }
        // Wall times differ from run to run.
        var workspace = session.workspace
        workspace.trainingHistory = workspace.trainingHistory.map { record in
            var record = record
            record.seconds = 0
            record.samplesPerSecond = nil
            return record
        }
        return (outcome, lines, workspace, invocations)
    }


    // MARK: - Tests

    @Test func namesAreUniqueAndEveryCommandIsInHelp() {
        let names = CommandTable.names
        #expect(Set(names).count == names.count)
        let overview = Help.text(for: nil, palette: .plain)
        for name in names { #expect(overview.contains("  \(name) "), "\(name)") }
    }

    @Test func everyCommandAndOptionHasAScenario() {
        for spec in CommandTable.commands {
            let optionScenarios = spec.options.filter { Self.options["\(spec.name) \($0.name)"] != nil }
            #expect(optionScenarios.count == spec.options.count, "\(spec.name): every option needs a scenario in CommandRegistryTests.options")
            #expect(Self.commands[spec.name] != nil || !spec.options.isEmpty, "\(spec.name) needs a scenario in CommandRegistryTests.commands")
        }
        for key in Self.options.keys {
            let parts = key.split(separator: " ").map(String.init)
            #expect(CommandTable.command(named: parts[0])?.options.contains { $0.name == parts[1] } == true, "\(key) is not a declared option")
        }
    }

    @Test(arguments: CommandTable.names)
    func everyCommandRunsAsAValue(name: String) throws {
        guard let scenario = Self.commands[name] else { return }
        let runnable = try #require(CommandTable.runnable(named: name))
        let result = try Self.run(setup: scenario.setup, statement: scenario.statement)
        #expect(result.outcome == .completed || (result.outcome == .quit && ["quit", "exit"].contains(name)), "\(scenario.statement): \(result.outcome)")
        #expect(result.invocations.contains { $0.spec.name == name }, "\(name) ran through the command table")
        #expect(runnable.spec.name == name)
    }

    @Test(arguments: Array(options.keys).sorted())
    func everyDeclaredOptionIsRead(key: String) throws {
        let scenario = try #require(Self.options[key])
        let parts = key.split(separator: " ").map(String.init)
        let result = try Self.run(setup: scenario.setup, statement: scenario.statement(with: scenario.sample))
        #expect(result.outcome == .completed, "\(scenario.statement(with: scenario.sample)): \(result.outcome)")
        let invocation = try #require(result.invocations.last { $0.spec.name == parts[0] })
        #expect(invocation.optionsRead.contains(parts[1]), "\(parts[0]) did not read \(parts[1])")
    }

    /// Help's "(default: X)" is what the command does without the option: the same output and
    /// the same workspace with `option=X` as without it.
    @Test(arguments: Array(options.keys).sorted())
    func everyDefaultInHelpIsTheDefaultUsed(key: String) throws {
        let parts = key.split(separator: " ").map(String.init)
        let option = try #require(CommandTable.command(named: parts[0])?.options.first { $0.name == parts[1] })
        guard case .value(let defaultText) = option.defaultValue else { return }
        #expect(Help.text(for: parts[0], palette: .plain).contains("(default: \(defaultText))"))
        let scenario = try #require(Self.options[key])
        let withDefault = try Self.run(setup: scenario.setup, statement: scenario.statement(with: defaultText))
        let without = try Self.run(setup: scenario.setup, statement: scenario.statement.replacingOccurrences(of: " \(parts[1])={}", with: ""))
        #expect(withDefault.outcome == .completed)
        #expect(withDefault.outcome == without.outcome)
        #expect(withDefault.lines == without.lines)
        let sameWorkspace = withDefault.workspace == without.workspace
        #expect(sameWorkspace, "\(key): the workspace differs")
    }

    /// A default written in a spec parses as its option's type and lies within its bounds.
    @Test func everyDefaultValueHasItsOptionsType() {
        for spec in CommandTable.commands {
            for option in spec.options {
                guard case .value(let text) = option.defaultValue else { continue }
                switch option.type {
                case .wholeNumber(let range):
                    #expect(Int(text).map(range.contains) == true, "\(spec.name) \(option.name)=\(text)")
                case .number(let bounds):
                    #expect(Double(text).map(bounds.contains) == true, "\(spec.name) \(option.name)=\(text)")
                case .boolean:
                    #expect(["true", "false"].contains(text), "\(spec.name) \(option.name)=\(text)")
                case .word(let words):
                    #expect(words.contains(text), "\(spec.name) \(option.name)=\(text)")
                case .wholeNumberOrWord(let range, let words):
                    #expect(words.contains(text) || Int(text).map(range.contains) == true, "\(spec.name) \(option.name)=\(text)")
                case .expression:
                    break
                }
            }
        }
    }
}
