import NNEngine
import Testing
@testable import NNLang

/// Long single statements poll the interrupt flag: they stop with the usual message and the
/// session intact, instead of running to the end.
@Suite("Interrupt polling")
struct InterruptPollingTests {
    /// Says "interrupt" from its `after`-th question on, as Ctrl-C pressed mid-statement does.
    final class Flag: @unchecked Sendable {
        var questions = 0
        let after: Int
        init(after: Int) { self.after = after }
        func ask() -> Bool {
            questions += 1
            return questions > after
        }
    }

    /// The message `source` fails with when the flag goes up after `after` polls (the first
    /// poll is the one before the statement).
    static func failure(of source: String, after setup: String, polls after: Int) throws -> String {
        let (session, _) = makeSession()
        try #require(session.run(source: setup) == .completed)
        let flag = Flag(after: after)
        session.interruptRequested = { flag.ask() }
        guard case .failed(let diagnostic) = session.run(source: source) else {
            Issue.record("\(source) was not stopped")
            return ""
        }
        return diagnostic.message
    }

    @Test func gradcheckStopsBetweenParameters() throws {
        let message = try Self.failure(of: "gradcheck", after: "input 2\nlayer 3 tanh\nlayer 1\ndata x=[[0, 1]] y=[[1]]", polls: 4)
        #expect(message == "interrupted after 3 parameters checked")
    }

    @Test func jacobianStopsBetweenRows() throws {
        let message = try Self.failure(of: "print jacobian(f, range(0, 50))", after: "def f(v) = v * 2", polls: 6)
        #expect(message.hasPrefix("interrupted after ") && message.hasSuffix(" of 50 jacobian rows"), "\(message)")
    }

    @Test func theEngineReturnsWhatItChecked() {
        var generator = SeededGenerator(seed: 1)
        var network = Network(inputCount: 2)
        network.appendLayer(units: 2, activation: .tanh, generator: &generator)
        var asked = 0
        let result = GradientCheck.run(network: network, inputs: Matrix([[1, 2]]), targets: Matrix([[0, 1]]), loss: .mse,
                                       shouldContinue: { asked += 1; return asked <= 2 })
        #expect(result.wasStopped)
        #expect(result.entries.count == 2)
    }
}
