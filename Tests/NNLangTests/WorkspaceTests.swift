import Foundation
import NNEngine
import Testing
@testable import NNLang

/// The workspace has one owner and one way to start over: what `clear`, `input`, `example` and
/// `load` reset, and what `undo` puts back. Each bug the redesign removed has a test here.
@Suite("Workspace")
struct WorkspaceTests {
    private func run(_ session: Session, _ source: String) {
        #expect(session.run(source: source) == .completed, "\(source)")
    }

    /// A loaded model's class names belonged to it: after `clear` a new one-output network saves
    /// a file that loads again (it used to carry the three names and be refused).
    @Test func aLoadedModelsClassNamesGoWithIt() throws {
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(folder) }
        let (session, _) = makeSession()
        run(session, "data iris\ninput 4\nlayer 3 softmax\nloss cross_entropy\nsave \"\(folder)/iris.nnm\"")
        run(session, "clear\nload \"\(folder)/iris.nnm\"")
        #expect(session.workspace.classNamesForModel.count == 3)
        run(session, "clear\ninput 1\nlayer 1\nsave \"\(folder)/one.nnm\"")
        #expect(session.workspace.loadedClassNames.isEmpty)
        run(session, "load \"\(folder)/one.nnm\"")
        #expect(session.workspace.network?.outputCount == 1)
    }

    /// `example` replaces the network, and the replaced network's training history goes with it.
    @Test func anExampleDropsTheReplacedNetworksHistory() throws {
        let (session, _) = makeSession()
        run(session, mazurProgram + "\ntrain epochs=5 quiet=true")
        #expect(session.workspace.trainingHistory.count == 5)
        run(session, "example xor")
        #expect(session.workspace.trainingHistory.isEmpty)
        #expect(session.run(source: "history") == .failed(Diagnostic(.nothingTrained, at: span(1, 1, 8))))
        #expect(session.run(source: "plot loss") == .failed(Diagnostic(.nothingTrained, at: span(1, 6, 10))))
    }

    /// `load` and `input` start a new network: the old one's history does not describe it.
    @Test func aNewNetworkStartsWithoutHistory() throws {
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(folder) }
        let (session, _) = makeSession()
        run(session, mazurProgram + "\nsave \"\(folder)/m.nnm\"\ntrain epochs=3 quiet=true\nload \"\(folder)/m.nnm\"")
        #expect(session.workspace.trainingHistory.isEmpty)
        run(session, "train epochs=2 quiet=true\nclear\ninput 2")
        #expect(session.workspace.trainingHistory.isEmpty)
    }

    /// `undo` after `clear` brings back the whole workspace: network, loss, data, split,
    /// normalization, history. It used to bring back the network alone.
    @Test func undoAfterClearRestoresEverything() throws {
        let (session, transcript) = makeSession()
        run(session, "data circles n=40 seed=1\nsplit test=0.25 seed=2\nnormalize standard\ninput 2\nlayer 3 tanh\nlayer 1 sigmoid\nloss binary_cross_entropy\ntrain epochs=4 quiet=true")
        let before = session.workspace
        #expect(before.dataSet != nil && before.split != nil && before.normalization != nil && before.trainingHistory.count == 4)
        run(session, "clear")
        #expect(session.workspace == Workspace())
        run(session, "undo")
        #expect(transcript.lines.last == "undone: clear (line 1)")
        #expect(session.workspace == before)
    }

    /// `input` keeps the data and the loss chosen before it, and drops everything of the old network.
    @Test func inputKeepsTheDataAndTheLoss() throws {
        let (session, _) = makeSession()
        run(session, "data xor\nloss sse\ninput 2")
        #expect(session.workspace.dataSet?.sampleCount == 4)
        #expect(session.workspace.loss == .sse)
        #expect(session.workspace.network?.layers.isEmpty == true)
    }

    /// `clear` is a fresh workspace; settings, variables and snapshots stay.
    @Test func clearStartsOverButKeepsSettingsAndVariables() throws {
        let (session, _) = makeSession()
        run(session, mazurProgram + "\nset precision 4\nv = 3\nsnapshot s\nclear")
        #expect(session.workspace == Workspace())
        #expect(session.settings.precision == 4)
        #expect(session.variables["v"] == .scalar(3))
        run(session, "restore s")
        #expect(session.workspace.network?.layers.count == 2)
    }

    /// Every stored field of the workspace is reset by `startOver`: a field added later cannot
    /// be forgotten, because `startOver` builds a fresh value.
    @Test func startOverKeepsOnlyWhatItIsTold() throws {
        let (session, _) = makeSession()
        run(session, mazurProgram + "\ntrain epochs=2 quiet=true")
        var workspace = session.workspace
        workspace.startOver(keeping: [.data, .loss])
        #expect(workspace.network == nil && workspace.trainingHistory.isEmpty && workspace.layerInitializers.isEmpty)
        #expect(workspace.dataSet == session.workspace.dataSet && workspace.loss == .sse)
        workspace.startOver()
        #expect(workspace == Workspace())
    }
}
