import Testing
import NNEngine
@testable import NNLang

/// `layer … batchnorm=true` in the language: the parameter names, the commands that train
/// (batch statistics) and those that evaluate (running statistics), undo, dropout, and the
/// diagnostics. The arithmetic itself is held to PyTorch in NNEngineTests' BatchNormTests.
@Suite("Batch normalization commands")
struct BatchNormCommandTests {
    static let setup = """
        input 3
        layer 4 tanh batchnorm=true
        layer 2 sigmoid
        loss mse
        data x=[[0.5, 1.0, -1.5], [1.5, -0.5, 0.3], [-0.7, 0.2, 0.9], [0.1, -1.2, 0.4], [1.1, 0.8, -0.3], [-0.4, -0.9, 1.3]] y=[[0.1, 0.9], [0.8, 0.2], [0.3, 0.6], [0.7, 0.4], [0.2, 0.1], [0.9, 0.7]]
        """

    static func session() throws -> (Session, Transcript) {
        try SessionTests.session(after: setup)
    }

    static func failure(_ source: String, after setup: String = setup) throws -> String? {
        let (session, _) = try SessionTests.session(after: setup)
        guard case .failed(let diagnostic) = session.run(source: source) else { return nil }
        return diagnostic.message
    }

    @Test func gammaAndBetaArePrintedAssignedAndUndone() throws {
        let (session, transcript) = try Self.session()
        #expect(session.workspace.network?.layers.map { $0.batchNorm != nil } == [true, false])
        #expect(session.run(source: "gamma1\nbeta1\ngamma1 = [1, 2, 3, 4]\nbeta1[2] = 0.5\ngamma1[3]\nbeta1") == .completed)
        #expect(transcript.lines == ["[1, 1, 1, 1]", "[0, 0, 0, 0]", "3", "[0, 0.5, 0, 0]"])
        #expect(session.workspace.network?.layers[0].batchNorm?.gamma == [1, 2, 3, 4])
        #expect(session.run(source: "undo") == .completed)
        #expect(session.workspace.network?.layers[0].batchNorm?.gamma == [1, 2, 3, 4])
        #expect(session.workspace.network?.layers[0].batchNorm?.beta == [0, 0, 0, 0])
        #expect(session.run(source: "undo") == .completed)
        #expect(session.workspace.network?.layers[0].batchNorm?.gamma == [1, 1, 1, 1])
    }

    @Test func gradIsTheEnginesTrainingGradient() throws {
        let (session, transcript) = try Self.session()
        #expect(session.run(source: "set precision 17\ngrad gamma1\ngrad beta1[2]") == .completed)
        let network = try #require(session.workspace.network)
        let data = try #require(session.workspace.trainingSet)
        let gradients = network.gradients(input: data.inputs, target: data.targets, loss: .mse)
        let formatter = ValueFormatter(precision: 17)
        #expect(transcript.lines == ["∂E/∂gamma1 = " + formatter.format(.vector(gradients.gammas[0])),
                                     "∂E/∂beta1[2] = " + formatter.format(gradients.betas[0][1])])
    }

    @Test func stepTrainsWithBatchStatisticsAndEvaluatesWithRunningOnes() throws {
        let (session, transcript) = try Self.session()
        let before = try #require(session.workspace.network)
        #expect(session.run(source: "step lr=0.5\nloss") == .completed)
        let after = try #require(session.workspace.network)
        #expect(after.layers[0].batchNorm?.batchesTracked == 1)
        #expect(after.layers[0].batchNorm?.runningMean != before.layers[0].batchNorm?.runningMean)
        let data = try #require(session.workspace.trainingSet)
        // The loss printed after the step is the evaluation loss, by the running statistics.
        let evaluation = after.loss(input: data.inputs, target: data.targets, loss: .mse)
        #expect(transcript.lines.last == "E = " + ValueFormatter(precision: 10).format(evaluation))
        #expect(abs(evaluation - after.trainingLoss(input: data.inputs, target: data.targets, loss: .mse)) > 1e-6)
    }

    @Test func trainWithDropoutAndBatchNormMatchesTheEngine() throws {
        let setup = Self.setup.replacing("batchnorm=true", with: "batchnorm=true dropout=0.3") + "\nset seed 4"
        let (session, _) = try SessionTests.session(after: setup)
        var expected = try #require(session.workspace.network)
        let data = try #require(session.workspace.trainingSet)
        var generator = session.generator
        _ = Trainer.referenceTrain(&expected, inputs: data.inputs, targets: data.targets, loss: .mse,
                                   configuration: TrainingConfiguration(epochs: 3, learningRate: 0.2, batchSize: 3, shuffle: true),
                                   generator: &generator)
        #expect(session.run(source: "train epochs=3 lr=0.2 batch=3 shuffle=true quiet=true") == .completed)
        let trained = try #require(session.workspace.network)
        let difference = zip(trained.layers[0].batchNorm?.gamma ?? [], expected.layers[0].batchNorm?.gamma ?? []).map { abs($0 - $1) }.max() ?? 1
        #expect(difference < 1e-12)
        #expect(trained.layers[0].batchNorm?.batchesTracked == 6)
    }

    @Test(arguments: [
        ("train epochs=1 batch=1", "'train' with batch normalization needs at least 2 samples in every batch (batch=1), as PyTorch's BatchNorm1d in training"),
        ("train epochs=1 batch=5", "'train' with batch normalization needs at least 2 samples in every batch (6 samples in batches of 5 leave 1 in the last; choose another batch=), as PyTorch's BatchNorm1d in training"),
        ("crossval k=3 epochs=1 batch=3", "'crossval' with batch normalization needs at least 2 samples in every batch (4 samples in batches of 3 leave 1 in the last; choose another batch=), as PyTorch's BatchNorm1d in training"),
        ("gamma2", "no parameter 'gamma2': layer 2 has no batch normalization (give it with 'layer N ACTIVATION batchnorm=true')"),
        ("gamma3", "no parameter 'gamma3': the network has layers 1 to 2"),
        ("gamma1[5]", "index [5] is out of range for gamma1, a vector of 4"),
        ("gamma1 = [1, 2]", "cannot assign a vector of 2 to gamma1, which is a vector of 4"),
        ("explain grad W1", "'explain grad' writes the gradient sample by sample, which batch normalization's batch statistics do not allow: 'grad' gives it, 'explain forward' the normalization"),
    ])
    func refusals(_ source: String, _ message: String) throws {
        #expect(try Self.failure(source) == message)
    }

    @Test func aSingleSampleCannotStep() throws {
        let message = try Self.failure("step", after: "input 2\nlayer 2 relu batchnorm=true\ndata x=[[1, 2]] y=[[1, 0]]")
        #expect(message == "'step' with batch normalization needs at least 2 samples in every batch (the data has 1 sample), as PyTorch's BatchNorm1d in training")
    }

    @Test func saveAndLoadKeepTheRunningStatistics() throws {
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(folder) }
        let (session, _) = try Self.session()
        #expect(session.run(source: "train epochs=2 batch=3 quiet=true\nsave \"\(folder)/m.nnm\"") == .completed)
        let saved = try #require(session.workspace.network)
        #expect(session.run(source: "clear\nload \"\(folder)/m.nnm\"") == .completed)
        #expect(session.workspace.network == saved)
    }
}
