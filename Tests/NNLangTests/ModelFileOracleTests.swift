import Testing
import NNEngine
@testable import NNLang

/// The model-file parser that reads rows of numbers from the bytes against the one that made a
/// `String` per line and per word (`LegacyModelParser`, kept as the oracle): the same model or
/// the same error, for model files and every damaged copy of them (cut at every byte, each byte
/// replaced, random damage; CRLF, comments, blank lines, quoted names, non-ASCII bytes).
@Suite("Model file against the old parser")
struct ModelFileOracleTests {
    static let files: [String] = [
        ModelFileTests.smallText,
        ModelFileBatchNormTests.text,
        ModelFileTests.smallText.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n"),
        """
        nn-model 2
        # a comment
        inputs 3
        classes "a \\"b\\"" "c\\u{1}"

        features 2 "x1" "x2^2" "x1*x2"
        layer 2 relu
        weights
          1e-300 -0.0 nan
            # between rows
          \t0.12345678901234567 inf 3
        biases 1 2
        layer 2 softmax
        weights
          1 2
          3 4
        biases 0x1p3 5
        end

        """,
        "nn-model 1\ninputs 2\nlayer 1 elu alpha=1\nweights\n 1 2\r\nbiases\t0.5\nend\n# after\n",
    ]

    /// What each parser makes of `bytes`, comparable (a model as the text it encodes to); a
    /// description of the difference, or nil.
    static func difference(_ bytes: [UInt8]) -> String? {
        func described(_ result: Result<ModelContents, DataFileError>) -> String {
            switch result {
            case .success(let contents): return "model " + ModelFile.encode(contents)
            case .failure(let error): return "error \(error)"
            }
        }
        let new = described(ModelFile.decode(bytes: bytes))
        let old = described(LegacyModelParser.decode(String(decoding: bytes, as: UTF8.self)))
        return new == old ? nil : "\(new) against \(old)"
    }

    /// Records an issue when the two readers differ on `bytes`.
    static func recordDifference(_ bytes: [UInt8], _ what: String) {
        if let difference = difference(bytes) { Issue.record("\(what): \(difference)") }
    }

    @Test func wholeFilesReadAlike() {
        for file in Self.files {
            #expect(Self.difference(Array(file.utf8)) == nil, "\(file.debugDescription)")
            #expect((try? ModelFile.decode(file).get()) != nil, "\(file.debugDescription) is a model")
        }
    }

    @Test func filesCutAtEveryByteReadAlike() {
        for file in Self.files { FileDamage.eachCut(of: file, Self.recordDifference) }
    }

    @Test func everyByteReplacedReadsAlike() {
        let replacements: [UInt8] = Array(" \t\r\n\"#.e-+0x=a\\".utf8) + [0, 0x0B, 0xFF, 0xC3, 0xCC]
        for file in Self.files { FileDamage.eachReplacement(of: file, by: replacements, Self.recordDifference) }
    }

    @Test func randomDamageReadsAlike() {
        let alphabet: [UInt8] = Array("0123456789 \t\r\n\"#.eE-+naif=\\".utf8) + [0xEF, 0xBB, 0xBF, 0x80, 0xCC, 0x81, 0x0C]
        FileDamage.eachRandomEdit(of: Self.files, rounds: 4000, alphabet: alphabet, seed: 21, Self.recordDifference)
    }

    /// A 20-10-3 network of random full-precision weights: saved and loaded bit for bit, as before.
    @Test func fullPrecisionWeightsReadAlike() throws {
        var generator = SeededGenerator(seed: 5)
        var network = Network(inputCount: 20)
        for (units, activation) in [(10, Activation.tanh), (3, .softmax)] {
            let inputs = network.outputCount
            let weights = (0..<units * inputs).map { _ in Double.random(in: -1...1, using: &generator) * 1e-2 }
            network.layers.append(DenseLayer(weights: Matrix(rows: units, columns: inputs, storage: weights),
                                             biases: (0..<units).map { _ in Double.random(in: -1...1, using: &generator) },
                                             activation: activation))
        }
        let text = ModelFile.encode(ModelContents(network: network))
        #expect(Self.difference(Array(text.utf8)) == nil)
        #expect(try ModelFile.decode(text).get().network == network)
    }
}
