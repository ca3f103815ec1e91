import NNEngine
import Testing
@testable import NNLang

@Suite("Suggestion")
struct SuggestionTests {
    static let distanceCases: [(a: String, b: String, distance: Int)] = [
        ("", "", 0),
        ("", "abc", 3),
        ("abc", "", 3),
        ("layer", "layer", 0),
        ("lyer", "layer", 1),  // insertion
        ("layerr", "layer", 1),  // deletion
        ("sigmod", "sigmoid", 1),
        ("relu", "relx", 1),  // substitution
        ("tarin", "train", 1),  // swap of neighbours
        ("ab", "ba", 1),
        ("abcd", "badc", 2),  // two swaps
        ("abc", "ca", 3),  // optimal string alignment: no edit of a swapped pair
        ("kitten", "sitting", 3),
        ("epoch", "epochs", 1),
        ("Layer", "layer", 1),  // the distance itself is case-sensitive
        ("é", "e", 1),
    ]

    @Test(arguments: distanceCases)
    func editDistance(_ testCase: (a: String, b: String, distance: Int)) {
        #expect(Suggestion.editDistance(testCase.a, testCase.b) == testCase.distance)
        #expect(Suggestion.editDistance(testCase.b, testCase.a) == testCase.distance)
    }

    static let closestCases: [(word: String, candidates: [String], suggestion: String?)] = [
        ("lyer", CommandTable.names, "layer"),
        ("tarin", CommandTable.names, "train"),
        ("summry", CommandTable.names, "summary"),
        ("pint", CommandTable.names, "print"),
        ("hlp", CommandTable.names, "help"),
        ("Layer", CommandTable.names, "layer"),  // compared case-insensitively
        ("sigmod", Activation.names, "sigmoid"),
        ("rleu", Activation.names, "relu"),
        ("leaky_rel", Activation.names, "leaky_relu"),
        ("epoch", ["epochs", "lr", "batch"], "epochs"),
        ("crossentropy", Loss.names, "cross_entropy"),
        // Unrelated words get no suggestion.
        ("banana", CommandTable.names, nil),
        ("xyz", CommandTable.names, nil),
        ("foo", Activation.names, nil),
        ("zz", CommandTable.names, nil),
        // A word equal to a candidate is not "meant" as it.
        ("layer", ["layer"], nil),
        // The threshold: 1 edit up to 3 letters, 2 up to 8, 3 beyond.
        ("abc", ["abx"], "abx"),
        ("abc", ["axy"], nil),
        ("abcdefgh", ["abcdefxy"], "abcdefxy"),
        ("abcdefgh", ["abcdexyz"], nil),
        ("abcdefghi", ["abcdefxyz"], "abcdefxyz"),
        ("abcdefghi", ["abcdewxyz"], nil),
        // The closest wins; among equals, the first.
        ("bat", ["cat", "bat1", "bar"], "cat"),
        ("lossx", ["loss", "lossxyz"], "loss"),
    ]

    @Test(arguments: closestCases)
    func closest(_ testCase: (word: String, candidates: [String], suggestion: String?)) {
        #expect(Suggestion.closest(to: testCase.word, among: testCase.candidates) == testCase.suggestion)
    }
}
