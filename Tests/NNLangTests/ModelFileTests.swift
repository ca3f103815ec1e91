import Testing
import NNEngine
@testable import NNLang

@Suite("Model file")
struct ModelFileTests {
    /// Mazur's 2-2-1 shape with everything a file can hold.
    static let small = ModelContents(
        network: Network(inputCount: 2, layers: [
            DenseLayer(weights: Matrix([[0.15, 0.2], [0.25, 0.3]]), biases: [0.35, 0.35], activation: .leakyRelu(alpha: 0.1)),
            DenseLayer(weights: Matrix([[0.4, 0.45]]), biases: [0.6], activation: .sigmoid),
        ]),
        loss: .huber(delta: 1.5),
        normalization: Normalization(method: .minmax, offsets: [0, -1], scales: [2, 0.5]),
        classNames: ["no", "yes"],
        dropouts: [0.25, nil])

    static let smallText = """
        nn-model 1
        inputs 2
        loss huber delta=1.5
        classes "no" "yes"
        normalization minmax
        offsets 0.0 -1.0
        scales 2.0 0.5
        layer 2 leaky_relu alpha=0.1 dropout=0.25
        weights
          0.15 0.2
          0.25 0.3
        biases 0.35 0.35
        layer 1 sigmoid
        weights
          0.4 0.45
        biases 0.6
        end

        """

    @Test func encodesTheDocumentedText() {
        #expect(ModelFile.encode(Self.small) == Self.smallText)
    }

    @Test func decodesTheDocumentedText() throws {
        #expect(try ModelFile.decode(Self.smallText).get() == Self.small)
    }

    @Test func minimalModelHasOnlyInputsAndEnd() throws {
        let bare = ModelContents(network: Network(inputCount: 3))
        #expect(ModelFile.encode(bare) == "nn-model 1\ninputs 3\nend\n")
        #expect(try ModelFile.decode("nn-model 1\ninputs 3\nend").get() == bare)
    }

    @Test func commentsBlankLinesIndentationAndCRLFAreIgnored() throws {
        var lines = Self.smallText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for index in lines.indices.reversed() where lines[index] == "weights" {
            lines.insert(contentsOf: ["", "   # unit 1"], at: index + 1)
            lines[index + 3] = "\t" + lines[index + 3]
        }
        lines.insert("# saved by hand", at: 1)  // the header stays on line 1
        #expect(try ModelFile.decode(lines.joined(separator: "\r\n")).get() == Self.small)
    }

    // MARK: - Round trips

    static let activations: [Activation] = [
        .linear, .step, .sign, .piecewiseLinear, .sigmoid, .tanh, .relu,
        .leakyRelu(alpha: 0.3), .elu(alpha: 0.7), .softplus, .softmax,
    ]
    static let losses: [Loss?] = [.sse, .mse, .crossEntropy, .binaryCrossEntropy, .huber(delta: 0.1), .pseudoHuber(delta: 3), nil]

    @Test(arguments: activations.indices)
    func roundTripIsBitIdentical(index: Int) throws {
        var generator = SeededGenerator(seed: UInt64(index))
        func layer(_ units: Int, _ inputs: Int, _ activation: Activation, scale: Double) -> DenseLayer {
            DenseLayer(weights: Matrix(rows: units, columns: inputs,
                                       storage: (0..<(units * inputs)).map { _ in generator.nextNormal() * scale }),
                       biases: (0..<units).map { _ in generator.nextUniform(-scale, scale) }, activation: activation)
        }
        var first = layer(7, 5, Self.activations[index], scale: 1e-7)
        // Values whose shortest decimals are awkward: subnormals, extremes, negative zero, infinity.
        first.weights.storage[0] = -0.0
        first.weights.storage[1] = Double.leastNonzeroMagnitude
        first.weights.storage[2] = -Double.greatestFiniteMagnitude
        first.weights.storage[3] = Double.infinity
        first.weights.storage[4] = 0.1 + 0.2
        first.biases[0] = Double.pi * 1e300
        let contents = ModelContents(
            network: Network(inputCount: 5, layers: [first, layer(3, 7, .tanh, scale: 1e5), layer(2, 3, .softmax, scale: 1)]),
            loss: Self.losses[index % Self.losses.count],
            normalization: index.isMultiple(of: 2) ? nil : Normalization(method: .standard, fittedTo: first.weights.map { $0.isFinite ? $0 : 1 }),
            classNames: ["a \"quoted\" name", "back\\slash, tab\t, line\nbreak, \u{1}, café 🌸"],
            dropouts: index.isMultiple(of: 3) ? [] : [0.5, nil, 1e-3])
        let decoded = try ModelFile.decode(ModelFile.encode(contents)).get()
        #expect(decoded == contents)
        for (a, b) in zip(decoded.network.layers, contents.network.layers) {
            #expect(a.weights.storage.map(\.bitPattern) == b.weights.storage.map(\.bitPattern))
            #expect(a.biases.map(\.bitPattern) == b.biases.map(\.bitPattern))
            #expect(a.activation == b.activation)
        }
        #expect(decoded.normalization?.offsets.map(\.bitPattern) == contents.normalization?.offsets.map(\.bitPattern))
    }

    @Test func notANumberSurvivesAsNotANumber() throws {
        var contents = Self.small
        contents.network.layers[1].biases[0] = .nan
        let decoded = try ModelFile.decode(ModelFile.encode(contents)).get()
        #expect(decoded.network.layers[1].biases[0].isNaN)
    }

    @Test func dropoutsOfOnlyNilAreStoredAsNone() {
        let contents = ModelContents(network: Self.small.network, dropouts: [nil, nil])
        #expect(contents.dropouts.isEmpty)
        #expect(contents.dropout(ofLayer: 1) == nil)
        #expect(Self.small.dropout(ofLayer: 0) == 0.25)
    }

    // MARK: - Damaged files

    /// `smallText` with line `number` (1-based) replaced by `replacement`, or removed if nil.
    static func damaged(line number: Int, _ replacement: String?) -> String {
        var lines = smallText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if let replacement { lines[number - 1] = replacement } else { lines.remove(at: number - 1) }
        return lines.joined(separator: "\n")
    }

    static let corruptions: [(String, DataFileError, String)] = [
        ("", .emptyFile, "empty file"),
        (damaged(line: 1, "nn-model 4"), .newerModelFormat(found: 4, supported: 3),
         "this file was written by a newer nn (format 4); this nn reads format 3"),
        (damaged(line: 1, "sepal_length,species"), .notAModelFile(found: "sepal_length,species"),
         "not an nn model file (expected 'nn-model 1' on the first line, found 'sepal_length,species')"),
        (damaged(line: 2, "inputs zero"), .invalidModel(line: 2, reason: "the number of inputs must be a whole number above 0, found 'zero'"),
         "line 2: the number of inputs must be a whole number above 0, found 'zero'"),
        (damaged(line: 2, "input 2"), .modelExpected(line: 2, expected: "'inputs'", found: "input 2"),
         "line 2: expected 'inputs', found 'input 2'"),
        (damaged(line: 3, "loss hubber"), .unknownLoss(line: 3, name: "hubber"), "line 3: unknown loss 'hubber'"),
        (damaged(line: 3, "loss mse delta=1"), .modelExpected(line: 3, expected: "the end of the line", found: "delta=1"),
         "line 3: expected the end of the line, found 'delta=1'"),
        (damaged(line: 3, "loss huber delta=-1"), .invalidModel(line: 3, reason: "delta must be a finite number above 0"),
         "line 3: delta must be a finite number above 0"),
        (damaged(line: 4, "classes no \"yes\""), .modelExpected(line: 4, expected: "a class name in double quotes", found: "no"),
         "line 4: expected a class name in double quotes, found 'no'"),
        (damaged(line: 4, "classes \"no"), .modelExpected(line: 4, expected: "'\"' to close the class name", found: "the end of the line"),
         "line 4: expected '\"' to close the class name, found 'the end of the line'"),
        (damaged(line: 4, "classes \"n\\o\""), .modelExpected(line: 4, expected: "one of the escapes \\\" \\\\ \\n \\t \\r \\u{hex}", found: "\\o"),
         "line 4: expected one of the escapes \\\" \\\\ \\n \\t \\r \\u{hex}, found '\\o'"),
        (damaged(line: 4, "classes \"a\" \"b\" \"c\""), .invalidModel(line: 4, reason: "3 class names for 1 output"),
         "line 4: 3 class names for 1 output"),
        (damaged(line: 5, "normalization zscore"), .unknownNormalization(line: 5, name: "zscore"),
         "line 5: unknown normalization 'zscore' (standard or minmax)"),
        (damaged(line: 6, "offsets 0.0"), .valueCount(line: 6, expected: 2, found: 1, what: "one offset per input"),
         "line 6: expected 2 numbers (one offset per input), found 1"),
        (damaged(line: 7, "scales 2.0 0"), .invalidModel(line: 7, reason: "scale 2 must not be 0"),
         "line 7: scale 2 must not be 0"),
        (damaged(line: 8, "layer 2 sigmod"), .unknownActivation(line: 8, name: "sigmod"), "line 8: unknown activation 'sigmod'"),
        (damaged(line: 8, "layer 2 sigmoid alpha=0.1"), .modelExpected(line: 8, expected: "'dropout='", found: "alpha=0.1"),
         "line 8: expected 'dropout=', found 'alpha=0.1'"),
        (damaged(line: 8, "layer 2 leaky_relu alpha=0.1 dropout=1"), .invalidModel(line: 8, reason: "dropout must be at least 0 and below 1"),
         "line 8: dropout must be at least 0 and below 1"),
        (damaged(line: 8, "layer 2 elu alpha=inf"), .invalidModel(line: 8, reason: "alpha must be a finite number"),
         "line 8: alpha must be a finite number"),
        (damaged(line: 8, "layer -2 relu"), .invalidModel(line: 8, reason: "the number of units must be a whole number above 0, found '-2'"),
         "line 8: the number of units must be a whole number above 0, found '-2'"),
        (damaged(line: 9, "weight"), .modelExpected(line: 9, expected: "'weights' of layer 1", found: "weight"),
         "line 9: expected 'weights' of layer 1, found 'weight'"),
        (damaged(line: 10, "  0.15 abc"), .badNumber(line: 10, text: "abc"), "line 10: 'abc' is not a number"),
        (damaged(line: 10, "  0.15"), .valueCount(line: 10, expected: 2, found: 1, what: "the weights of unit 1 of layer 1"),
         "line 10: expected 2 numbers (the weights of unit 1 of layer 1), found 1"),
        // The header says 3 units but only 2 rows of weights follow.
        (damaged(line: 8, "layer 3 leaky_relu alpha=0.1"), .modelExpected(line: 12, expected: "the weights of unit 3 of layer 1", found: "biases 0.35 0.35"),
         "line 12: expected the weights of unit 3 of layer 1, found 'biases 0.35 0.35'"),
        (damaged(line: 11, nil), .modelExpected(line: 11, expected: "the weights of unit 2 of layer 1", found: "biases 0.35 0.35"),
         "line 11: expected the weights of unit 2 of layer 1, found 'biases 0.35 0.35'"),
        (damaged(line: 12, "biases 0.35"), .valueCount(line: 12, expected: 2, found: 1, what: "the biases of layer 1"),
         "line 12: expected 2 numbers (the biases of layer 1), found 1"),
        (damaged(line: 12, "bias 0.35 0.35"), .modelExpected(line: 12, expected: "'biases'", found: "bias 0.35 0.35"),
         "line 12: expected 'biases', found 'bias 0.35 0.35'"),
        (damaged(line: 15, "  0.4 0.45 0.5"), .valueCount(line: 15, expected: 2, found: 3, what: "the weights of unit 1 of layer 2"),
         "line 15: expected 2 numbers (the weights of unit 1 of layer 2), found 3"),
        (damaged(line: 17, nil), .unexpectedEnd(line: 17, expected: "'layer' or 'end'"),
         "line 17: unexpected end of file, expected 'layer' or 'end'"),
        (damaged(line: 17, "end now"), .modelExpected(line: 17, expected: "'layer' or 'end'", found: "end now"),
         "line 17: expected 'layer' or 'end', found 'end now'"),
        (damaged(line: 18, "\n# fine\nlayer 1 relu"), .trailingText(line: 20, text: "layer 1 relu"),
         "line 20: unexpected 'layer 1 relu' after 'end'"),
        (damaged(line: 3, "classes \"a\"\nloss mse"), .modelExpected(line: 4, expected: "'layer' or 'end'", found: "loss mse"),
         "line 4: expected 'layer' or 'end', found 'loss mse'"),
    ]

    @Test(arguments: corruptions)
    func damageIsReportedWithItsLine(text: String, error: DataFileError, message: String) {
        #expect(ModelFile.decode(text) == .failure(error))
        #expect(error.message == message)
    }

    @Test func aFileCutAtAnyLineIsAnError() {
        let lines = Self.smallText.split(separator: "\n", omittingEmptySubsequences: false)
        for count in 0..<(lines.count - 2) {  // the last two elements are "end" and "" after the final newline
            let prefix = lines.prefix(count).joined(separator: "\n") + (count > 0 ? "\n" : "")
            let result = ModelFile.decode(prefix)
            guard case .failure(let error) = result else {
                Issue.record("a file of its first \(count) lines decoded: \(result)")
                continue
            }
            #expect(count == 0 ? error == .emptyFile : error.line == count + 1, "cut after \(count) lines: \(error.message)")
        }
    }

    @Test func aFileCutAtAnyCharacterIsAnErrorNotACrash() {
        let text = ModelFile.encode(Self.small)
        let characters = Array(text)
        for count in 0..<(characters.count - 1) {
            let result = ModelFile.decode(String(characters.prefix(count)))
            if case .success = result { Issue.record("decoded the first \(count) characters") }
        }
        #expect((try? ModelFile.decode(String(characters.dropLast())).get()) == Self.small)
    }
}
