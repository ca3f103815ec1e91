import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import NNEngine
import Testing
@testable import NNLang

/// `train … run=NAME`, `history NAME`, `plot loss runs=[…]`, and `train … watch=`: in a pipe
/// (once, at the end), at a live terminal (redrawn in place), in a notebook (one display
/// updated), and stopped by Ctrl-C.
@Suite("Runs and watched training")
struct WatchAndRunTests {
    static let xor = "data xor\ninput 2\nlayer 3 tanh\nlayer 1 sigmoid\nloss binary_cross_entropy\nsnapshot start"

    static func run(_ source: String, after setup: String = xor, configure: (Session) -> Void = { _ in }) throws -> (Session, [String]) {
        let (session, transcript) = try SessionTests.session(after: setup)
        configure(session)
        transcript.lines = []
        let outcome = session.run(source: source)
        try #require(outcome == .completed, "\(source): \(outcome)")
        return (session, transcript.lines)
    }

    // MARK: - Runs

    @Test func namedRunsAreKeptAndPrinted() throws {
        let (session, lines) = try Self.run("""
            train epochs=10 lr=0.5 run=sgd quiet=true
            restore start
            train epochs=6 optimizer=adam lr=0.05 run=adam quiet=true
            history sgd limit=2
            history adam limit=2
            history last limit=2
            """)
        #expect(session.workspace.runs.map(\.name) == ["sgd", "adam"])
        #expect(session.workspace.runs.map(\.history.count) == [10, 6])
        #expect(session.workspace.runs[1].history == session.workspace.trainingHistory)
        let epochs = lines.filter { $0.hasPrefix("   ") || $0.hasPrefix("epoch") }.map { $0.split(separator: " ").first.map(String.init) ?? "" }
        #expect(epochs == ["epoch", "1", "10", "epoch", "1", "6", "epoch", "1", "6"])
    }

    @Test func aNameUsedAgainReplacesItsRun() throws {
        let (session, _) = try Self.run("""
            train epochs=3 run=a quiet=true
            train epochs=4 run=b quiet=true
            train epochs=5 run=a quiet=true
            """)
        #expect(session.workspace.runs.map(\.name) == ["b", "a"])
        #expect(session.workspace.runs.map(\.history.count) == [4, 5])
    }

    /// Runs outlive clear and example, so that one network's runs can be compared with the
    /// next's; undo of the train that kept one takes it back.
    @Test func runsAreWorkspaceState() throws {
        let kept = "train epochs=3 run=a quiet=true\n"
        #expect(try Self.run(kept + "clear\ndata xor\ninput 2\nlayer 2 relu\nlayer 1 sigmoid\ntrain epochs=2 run=b quiet=true")
            .0.workspace.runs.map(\.name) == ["a", "b"])
        #expect(try Self.run(kept + "clear").0.workspace.runs.map(\.name) == ["a"])
        #expect(try Self.run(kept + "example xor").0.workspace.runs.map(\.name) == ["a"])
        #expect(try Self.run(kept + "undo").0.workspace.runs.isEmpty)
        #expect(try Self.run(kept + "train epochs=2 quiet=true\nundo").0.workspace.runs.map(\.name) == ["a"])
    }

    @Test func tabCompletesRunNames() throws {
        let (session, _) = try Self.run("train epochs=2 run=adam quiet=true\ntrain epochs=2 run=adagrad quiet=true")
        let completer = Completer(session: session) { _ in [] }
        #expect(completer.complete("history ada").candidates == ["adagrad", "adam"])
        #expect(completer.complete("history la").candidates == ["last"])
        #expect(completer.complete("train epochs=3 wat").candidates == ["watch=", "watch_every="])
    }

    @Test func runsSideBySideInASCII() throws {
        let (_, lines) = try Self.run("""
            train epochs=30 lr=0.5 run=sgd quiet=true
            restore start
            train epochs=30 optimizer=adam lr=0.05 run=adam quiet=true
            set charset ascii
            plot loss runs=[sgd, adam] width=50 height=6
            """)
        #expect(lines == [
            "restored start",
            "              training loss by epoch",
            "loss (binary_cross_entropy)",
            "0.7 +oo*",
            "    |  ooooooooo****************",
            "0.6 +           oooooo          **********",
            "0.5 +                 oooooooo",
            "    |                         oooooooo",
            "0.4 +                                 oooo",
            "    +-----------+------------+-----------+",
            "               10           20          30   epoch",
            "  ** sgd   oo adam",
        ])
    }

    @Test func runsSideBySideAsSVG() throws {
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(folder) }
        let path = folder + "/runs.svg"
        _ = try Self.run("""
            train epochs=12 run=one quiet=true
            train epochs=5 run=two quiet=true
            train epochs=7 run=three quiet=true
            plot loss runs=all to "\(path)"
            """)
        let series = "(//*[local-name()='g' and @class='series'])"
        #expect(try NeuronMapTests.values(path, series + "/@data-name") == ["one", "two", "three"])
        let points = try (1...3).map { index in
            try NeuronMapTests.values(path, series + "[\(index)]/*[local-name()='polyline']/@points").joined(separator: " ").split(separator: " ").count
        }
        #expect(points == [12, 5, 7])
        #expect(try NeuronMapTests.values(path, "//*[local-name()='g' and @class='legend']/*[local-name()='text']") == ["one", "two", "three"])
    }

    static let runErrors: [(source: String, message: String)] = [
        ("train epochs=2 run=sgd quiet=true\nplot loss runs=[sdg]", "unknown run 'sdg'"),
        ("plot loss runs=all", "expected runs kept by 'train … run=NAME' to draw, got none yet"),
        ("history adam", "unknown run 'adam'"),
        ("train epochs=2 run=last", "expected a name for the run (not 'last' or 'all'), got last"),
        ("train epochs=2 run=[1, 2]", "expected a name for the run (not 'last' or 'all'), got [1, 2]"),
        ("plot boundary runs=all", "option 'runs' applies to plot loss only"),
        ("train epochs=2 watch_every=2", "option 'watch_every' applies to train … watch=WHAT only"),
    ]

    @Test(arguments: runErrors)
    func diagnostics(_ testCase: (source: String, message: String)) throws {
        #expect(try PlotTests.failure(of: testCase.source, after: Self.xor) == testCase.message)
    }

    // MARK: - Watching

    /// In a pipe: one picture, of the end, before the summary line.
    @Test func inAPipeThePictureIsDrawnOnceAtTheEnd() throws {
        let (_, lines) = try Self.run("set charset ascii\ntrain epochs=20 lr=0.5 watch=boundary")
        let titles = lines.filter { $0.contains("decision regions") }
        #expect(titles.count == 1)
        #expect(titles.first?.contains("decision regions: xor - epoch 20/20, loss 0.") == true)  // ASCII: no middle dot
        let summary = try #require(lines.firstIndex { $0.hasPrefix("trained 20 epochs") })
        #expect(try #require(lines.firstIndex { $0.contains("decision regions") }) < summary)
        #expect(!lines.joined().contains("\u{1B}"))
    }

    /// At a live terminal: a frame before training and one every watch_every epochs, each drawn
    /// over the last (cursor up by its height), and no progress line under it.
    @Test func atATerminalFramesAreRedrawnInPlace() throws {
        var chunks: [String] = []
        let (session, _) = try SessionTests.session(after: Self.xor)
        session.progressStyle = .live
        session.output = { chunks.append($0) }
        #expect(session.run(source: "train epochs=20 watch=loss watch_every=5") == .completed)
        let frames = chunks.filter { $0.contains("\u{1B}[2K") }
        #expect(frames.count == 5)  // epoch 0, 5, 10, 15 and the last
        #expect(frames.map { $0.contains("epoch 0/20") } == [true, false, false, false, false])
        #expect(frames[1].contains("epoch 5/20, loss "))
        #expect(frames[4].contains("epoch 20/20, loss "))
        #expect(!frames[0].hasPrefix("\r\u{1B}["))
        let height = frames[0].components(separatedBy: "\n").count - 1
        #expect(frames[1].hasPrefix("\r\u{1B}[\(height)A"))
        #expect(!chunks.joined().contains("samples/s"))
        #expect(chunks.last?.hasPrefix("trained 20 epochs") == true)
    }

    /// Neuron maps shrink to fit fifty lines at a terminal; a picture taller even so is drawn once
    /// at the end, under the progress line.
    @Test func smallMapsFitInPlace() throws {
        var chunks: [String] = []
        let (session, _) = try SessionTests.session(after: "data xor\ninput 2\nlayer 8 tanh\nlayer 1 sigmoid")
        session.progressStyle = .live
        session.output = { chunks.append($0) }
        #expect(session.run(source: "train epochs=20 watch=neurons watch_every=10") == .completed)
        let frames = chunks.filter { $0.contains("\u{1B}[2K") }
        #expect(frames.count == 3)
        #expect(frames.allSatisfy { $0.components(separatedBy: "\n").count - 1 <= TrainingWatch.tallestInPlace })
    }

    @Test func aTallPictureIsDrawnOnceAtTheEnd() throws {
        var chunks: [String] = []
        let (session, _) = try SessionTests.session(after: "data xor\ninput 2\nlayer 24 tanh\nlayer 1 sigmoid")
        session.progressStyle = .live
        session.output = { chunks.append($0) }
        #expect(session.run(source: "train epochs=20 watch=neurons watch_every=5") == .completed)
        let text = chunks.joined()
        #expect(!text.contains("\u{1B}[2K"))
        #expect(!text.contains("epoch 0/20,"))
        #expect(text.components(separatedBy: "every neuron over the plane").count == 2)
        #expect(text.contains("samples/s"))
    }

    /// By default about forty frames a run (and one a second), fewer when drawing would take
    /// over 3% of the time.
    @Test func theDefaultRateDrawsAboutFortyFrames() throws {
        var frames = 0
        let (session, _) = try SessionTests.session(after: Self.xor)
        session.progressStyle = .live
        session.output = { if $0.contains("\u{1B}[2K") { frames += 1 } }
        let start = ContinuousClock.now
        #expect(session.run(source: "train epochs=400 watch=boundary") == .completed)
        let seconds = (ContinuousClock.now - start).components.seconds
        #expect(frames >= 2 && frames <= 1 + 40 + Int(seconds) + 1)
    }

    /// In a notebook: one display, opened by the frame before training, replaced by the others.
    @Test func inANotebookOneDisplayIsUpdated() throws {
        var updates: [PictureUpdate] = []
        var pictures: [String] = []
        let (_, lines) = try Self.run("train epochs=30 lr=0.5 watch=neurons\nplot loss") { session in
            session.emitPicture = { pictures.append($0) }
            session.emitPictureUpdate = { updates.append($0) }
        }
        #expect(updates.count >= 2)
        #expect(updates.map(\.isFirst) == [true] + Array(repeating: false, count: updates.count - 1))
        #expect(updates.first?.svg.contains("epoch 0/30") == true)
        #expect(updates.last?.svg.contains("<title>every neuron over the plane: xor · epoch 30/30, loss ") == true)
        #expect(pictures.count == 1)  // plot loss: a picture of its own
        #expect(lines.contains { $0.hasPrefix("trained 30 epochs") })
    }

    /// Ctrl-C: training stops at the end of a batch, and the last frame shows where.
    @Test func anInterruptStopsCleanlyWithTheLastFrame() throws {
        var calls = 0
        let (session, transcript) = try SessionTests.session(after: Self.xor + "\nset charset ascii")
        transcript.lines = []
        // Two questions before the statement (reading the program, then running it), then one
        // before each epoch's only batch.
        session.interruptRequested = {
            calls += 1
            return calls > 9
        }
        _ = session.run(source: "train epochs=50 watch=boundary")
        #expect(session.workspace.trainingHistory.count == 7)
        #expect(transcript.lines.contains { $0.contains("epoch 7/50, loss ") })
        #expect(transcript.lines.contains { $0.hasPrefix("interrupted at epoch 8") })
    }

    /// A picture that cannot be drawn is refused before any training.
    @Test func anImpossiblePictureStopsBeforeTraining() throws {
        let message = try PlotTests.failure(of: "train epochs=5 watch=boundary", after: "data iris\ninput 4\nlayer 3 softmax")
        #expect(message == "'plot boundary' draws the plane of two inputs, and the data has 4 inputs")
        let (session, _) = try SessionTests.session(after: "data iris\ninput 4\nlayer 3 softmax")
        _ = session.run(source: "train epochs=5 watch=neurons")
        #expect(session.workspace.trainingHistory.isEmpty)
    }
}
