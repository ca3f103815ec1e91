import Testing
@testable import NNLang

/// Completion without a terminal: the text before the cursor → what Tab offers.
@Suite("Completer")
struct CompleterTests {
    /// A session with a 2-2-1 network (w1…w6) and two variables.
    static func completer() -> Completer {
        let (session, _) = makeSession()
        _ = session.run(source: "input 2\nlayer 2 sigmoid\nlayer 1 sigmoid\nrate = 0.5\nratio = 2")
        let files = ["": ["scripts/", "data.csv", "notes.txt", ".hidden"], "scripts/": ["mazur.nn", "xor.nn", "more/"]]
        return Completer(session: session) { files[$0] ?? [] }
    }

    static let cases: [(prefix: String, candidates: [String], terminator: String)] = [
        // Command names at the start of a statement.
        ("lay", ["layer"], " "),
        ("tr", ["train", "transpose(", "true"], " "),
        ("re", ["relu(", "repeat", "report", "reset", "restore"], " "),
        ("print 1; inp", ["input"], " "),
        ("time tra", ["train", "transpose("], " "),
        // A command's option keys, without those already given.
        ("train epo", ["epochs="], ""),
        ("train ep", ["epochs=", "eps="], ""),
        ("train epochs=10 ba", ["batch="], ""),
        ("train epochs=10 l", ["l1=", "line_search=", "log_every=", "lr=", "lr_patience="], ""),
        ("step ", ["lr="], ""),
        ("train batch=", ["all"] + Self.expressionStart, " "),
        // Word arguments: activations after layer N, losses after loss, settings, help topics.
        ("layer 10 sigm", ["sigmoid"], " "),
        ("layer 10 sig", ["sigmoid", "sign"], " "),
        ("layer 10 s", ["sigmoid", "sign", "softmax", "softplus", "step"], " "),
        ("layer 10 relu a", ["alpha="], ""),
        ("loss cross", ["cross_entropy"], " "),
        ("loss huber d", ["delta="], ""),
        ("set pre", ["precision"], " "),
        ("help act", ["activations"], " "),
        // Data-set names after data, optimizers and initializers from the engine's lists.
        ("data ir", ["iris"], " "),
        ("data ci", ["circles"], " "),
        ("optimizer ad", ["adagrad", "adam"], " "),
        ("train optimizer=rm", ["rmsprop"], " "),
        ("init he", ["he", "he_normal"], " "),
        // Parameters of the current network, and variables, inside expressions.
        ("grad w", ["w1", "w2", "w3", "w4", "w5", "w6"], " "),
        ("grad W", ["W1", "W2"], " "),
        ("print rat", ["rate", "ratio"], " "),
        ("x = rati", ["ratio"], " "),
        ("print [1, s", ["sigmoid(", "sign(", "sin(", "softmax(", "softplus(", "sqrt(", "step(", "sum("], " "),
        ("print sigm", ["sigmoid("], ""),
        ("print b", ["b1", "b2"], " "),
        // File paths inside a string.
        ("print \"scr", ["scripts/"], ""),
        ("print \"scripts/ma", ["mazur.nn"], "\""),
        ("print \"scripts/", ["mazur.nn", "more/", "xor.nn"], ""),
        ("print \"d", ["data.csv"], "\""),
        // Nothing fits.
        ("zzz", [], " "),
        ("layer 10 qq", [], " "),
    ]

    static let expressionStart = ["W1", "W2", "abs(", "b1", "b2"]

    @Test(arguments: cases)
    func completes(_ testCase: (prefix: String, candidates: [String], terminator: String)) {
        let completion = Self.completer().complete(testCase.prefix)
        if testCase.prefix == "train batch=" {
            #expect(Array(completion.candidates.prefix(6)) == ["W1", "W2", "abs(", "all", "b1", "b2"])
            return
        }
        #expect(completion.candidates == testCase.candidates, "\(testCase.prefix)")
        if completion.candidates.count == 1 {
            #expect(completion.terminator == testCase.terminator, "\(testCase.prefix)")
        }
        for candidate in completion.candidates {
            #expect(candidate.hasPrefix(completion.word))
        }
    }

    @Test func theWordIsWhatFollowsTheLastBreakCharacter() {
        #expect(Completer.trailingWord(of: "train epochs=10 l") == "l")
        #expect(Completer.trailingWord(of: "print [1, si") == "si")
        #expect(Completer.trailingWord(of: "print \"scripts/ma") == "ma")
        #expect(Completer.trailingWord(of: "layer 10 ") == "")
    }

    @Test func argumentsAreCountedAsTheParserSeesThem() {
        func count(_ text: String) -> Int {
            let tokens = Lexer.tokenize(text).tokens.filter { $0.kind != .endOfInput }
            return Completer.arguments(tokens[...]).positional
        }
        #expect(count("2 relu") == 2)
        #expect(count("a - 1") == 1)
        #expect(count("a, b, [1, 2]") == 3)
        #expect(count("epochs=10 lr=0.1") == 0)
        #expect(count("[[1, 2], [3, 4]] x") == 2)
    }

    /// With no network there are no parameters to offer, and nothing breaks.
    @Test func withoutANetworkParametersAreNotOffered() {
        let (session, _) = makeSession()
        let completion = Completer(session: session).complete("grad w")
        #expect(completion.candidates.isEmpty)
    }
}
