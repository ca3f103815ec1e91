import NNEngine

// The nn model file, format 1: a trained network in plain text (see docs/model-format.md).
//
//     nn-model 1
//     inputs 4
//     loss cross_entropy
//     classes "setosa" "versicolor" "virginica"
//     normalization standard
//     offsets 5.843333333333334 3.0573333333333337 3.7580000000000005 1.1993333333333336
//     scales 0.8253012917851409 0.4344109677354946 1.759404065775303 0.7596926279021594
//     layer 2 leaky_relu alpha=0.01 dropout=0.2
//     weights
//       0.5 -0.25 1e-05 0.125
//       -0.5 0.75 2.0 -1.0
//     biases 0.0 0.1
//     layer 3 softmax
//     weights
//       0.1 0.2
//       0.3 0.4
//       0.5 0.6
//     biases 0.0 0.0 0.0
//     end
//
// - Line 1 is `nn-model <format>`. A reader refuses a format newer than its own.
// - Then, in this order: `inputs <count>`; optionally `loss <name> [delta=<δ>]`; optionally
//   `classes` and the class names, each in double quotes with \" \\ \n \t \r escapes (and
//   \u{hex} for other control characters); optionally `normalization standard|minmax`
//   followed by an `offsets` and a `scales` line with one number per input.
// - Each layer, first hidden layer first: `layer <units> <activation> [alpha=<α>]
//   [dropout=<rate>]` (alpha always written for leaky_relu and elu), then `weights` and one
//   line per unit holding that unit's weights (a row of W: [units, inputs of the layer]),
//   then `biases` and one number per unit; with batch normalization (format 3) then
//   `batchnorm <batches tracked>`, `gamma`, `beta`, `running_mean` and `running_var`, each
//   with one number per unit.
// - The file ends with `end`, so a file cut short at any line is detected.
// - Numbers are Swift's shortest round-trip decimals (`0.1`, `1e-05`, `-0.0`, `nan`, `inf`),
//   so saving and loading gives bit-identical parameters.
// - Lines are separated by LF (CRLF is read too); words by spaces or tabs; leading spaces are
//   ignored; blank lines and lines starting with `#` are ignored anywhere.

/// Everything a model file holds: the network and what is needed to use it on new data.
public struct ModelContents: Equatable, Sendable {
    public var network: Network
    /// The loss the network was trained with, if one was set.
    public var loss: Loss?
    /// The feature scaling learned from the training data, applied to inputs before the network.
    public var normalization: Normalization?
    /// The class of each output column; empty for regression.
    public var classNames: [String]
    /// The dropout rate of each layer, first hidden layer first, nil for a layer without dropout;
    /// empty when no layer has dropout (a list of nothing but nils is stored as empty).
    public var dropouts: [Double?]
    /// Engineered inputs: how many raw inputs x1…xm there are, and each of the network's inputs
    /// as an expression of them; nil when the network takes the raw inputs.
    public var features: (rawInputCount: Int, texts: [String])?

    public init(network: Network, loss: Loss? = nil, normalization: Normalization? = nil,
                classNames: [String] = [], dropouts: [Double?] = [], features: (rawInputCount: Int, texts: [String])? = nil) {
        precondition(dropouts.isEmpty || dropouts.count == network.layers.count, "one dropout rate per layer, or none")
        precondition(normalization.map { $0.offsets.count == network.inputCount && $0.scales.count == network.inputCount } ?? true,
                     "normalization of \(normalization?.offsets.count ?? 0) features for \(network.inputCount) inputs")
        self.network = network
        self.loss = loss
        self.normalization = normalization
        self.classNames = classNames
        self.dropouts = dropouts.allSatisfy { $0 == nil } ? [] : dropouts
        self.features = features
    }

    public static func == (a: ModelContents, b: ModelContents) -> Bool {
        a.network == b.network && a.loss == b.loss && a.normalization == b.normalization && a.classNames == b.classNames
            && a.dropouts == b.dropouts && a.features?.rawInputCount == b.features?.rawInputCount && a.features?.texts == b.features?.texts
    }

    /// The dropout rate of layer `index` (0-based), nil if it has none.
    public func dropout(ofLayer index: Int) -> Double? {
        dropouts.isEmpty ? nil : dropouts[index]
    }
}

/// Writes and reads nn model files, format 1.
public enum ModelFile {
    public static let formatName = "nn-model"
    /// The newest format this nn reads. It writes format 1, 2 for a model with features
    /// (the `features` line), 3 for one with batch normalization (the `batchnorm` lines), so
    /// that files without them stay readable by older versions.
    public static let formatVersion = 3
    /// The largest model file `load` reads, and so the largest `save` writes: 2 GiB.
    public static let sizeLimit = FileAccess.defaultSizeLimit

    /// Whether `count` class names fit an output layer of `outputs` units, as `load` requires:
    /// one per output, or two for a single sigmoid output.
    public static func classNamesFit(_ count: Int, outputs: Int) -> Bool {
        count == outputs || (count == 2 && outputs == 1)
    }

    // MARK: - Writing

    /// The text of a model file holding `contents`. `poll` is asked at every row of weights:
    /// when it says stop (Ctrl-C saving a large model), the text is unfinished and not to be written.
    public static func encode(_ contents: ModelContents, poll: StopPoll = .never) -> String {
        let network = contents.network
        let format = network.hasBatchNorm ? 3 : (contents.features == nil ? 1 : 2)
        var lines = ["\(formatName) \(format)", "inputs \(network.inputCount)"]
        if let loss = contents.loss {
            lines.append("loss \(loss.name)" + (loss.delta.map { " delta=\(number($0))" } ?? ""))
        }
        if !contents.classNames.isEmpty {
            lines.append("classes " + contents.classNames.map(quoted).joined(separator: " "))
        }
        if let features = contents.features {
            lines.append("features \(features.rawInputCount) " + features.texts.map(quoted).joined(separator: " "))
        }
        if let normalization = contents.normalization {
            lines.append("normalization \(normalization.method.rawValue)")
            lines.append("offsets " + numbers(normalization.offsets))
            lines.append("scales " + numbers(normalization.scales))
        }
        for (index, layer) in network.layers.enumerated() {
            var declaration = "layer \(layer.units) \(layer.activation.name)"
            if let alpha = layer.activation.alpha { declaration += " alpha=\(number(alpha))" }
            if let dropout = contents.dropout(ofLayer: index) { declaration += " dropout=\(number(dropout))" }
            lines.append(declaration)
            lines.append("weights")
            for unit in 0..<layer.units {
                if poll.shouldStop() { break }
                lines.append("  " + numbers(layer.weights.row(unit)))
            }
            lines.append("biases " + numbers(layer.biases))
            if let batchNorm = layer.batchNorm {
                lines.append("batchnorm \(batchNorm.batchesTracked)")
                lines.append("gamma " + numbers(batchNorm.gamma))
                lines.append("beta " + numbers(batchNorm.beta))
                lines.append("running_mean " + numbers(batchNorm.runningMean))
                lines.append("running_var " + numbers(batchNorm.runningVariance))
            }
        }
        lines.append("end")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Swift's shortest decimal that reads back as the same `Double`.
    private static func number(_ value: Double) -> String {
        "\(value)"
    }

    private static func numbers(_ values: [Double]) -> String {
        values.map(number).joined(separator: " ")
    }

    /// `text` in double quotes, with quotes, backslashes and control characters escaped.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                result += "\\u{" + String(scalar.value, radix: 16) + "}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    // MARK: - Reading

    /// The model in `text`, or what is wrong with it and on which line. `poll` is asked at
    /// every line: when it says stop (Ctrl-C loading a large model), the result is a failure
    /// to throw away.
    public static func decode(_ text: String, poll: StopPoll = .never) -> Result<ModelContents, DataFileError> {
        var parser = ModelParser(text)
        parser.poll = poll
        do throws(DataFileError) {
            return .success(try parser.model())
        } catch {
            return .failure(error)
        }
    }
}

/// A word of a model file line: bare, or a string that was in quotes.
struct ModelToken: Equatable {
    var text: String
    var quoted: Bool
}

/// Reads a model file line by line; one method per kind of line, in file order.
struct ModelParser {
    private struct Line {
        var number: Int
        var tokens: [ModelToken]
        var keyword: String { tokens.first?.text ?? "" }
    }

    private let rawLines: [Substring]
    /// Asked at every line; a stop ends the file there (the caller knows why).
    var poll = StopPoll.never
    private var nextIndex = 0
    /// The line the end of the file is on, for "unexpected end of file".
    private var endLine: Int { rawLines.count }

    init(_ text: String) {
        rawLines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
    }

    // MARK: Whole file

    /// model = header inputs [loss] [classes] [features] [normalization] { layer } "end"
    mutating func model() throws(DataFileError) -> ModelContents {
        try header()
        let inputCount = try inputs()
        var line = try next(expecting: "'layer' or 'end'")
        var loss: Loss?
        if line.keyword == "loss" {
            loss = try self.loss(line)
            line = try next(expecting: "'layer' or 'end'")
        }
        var classNames: [String] = []
        var classesLine = 0
        if line.keyword == "classes" {
            classNames = try classes(line)
            classesLine = line.number
            line = try next(expecting: "'layer' or 'end'")
        }
        var features: (rawInputCount: Int, texts: [String])?
        if line.keyword == "features" {
            features = try self.features(line, inputCount: inputCount)
            line = try next(expecting: "'layer' or 'end'")
        }
        var normalization: Normalization?
        if line.keyword == "normalization" {
            normalization = try self.normalization(line, inputCount: inputCount)
            line = try next(expecting: "'layer' or 'end'")
        }
        var network = Network(inputCount: inputCount)
        var dropouts: [Double?] = []
        while line.keyword == "layer" {
            let (layer, dropout) = try self.layer(line, inputCount: network.outputCount, number: network.layers.count + 1)
            network.layers.append(layer)
            dropouts.append(dropout)
            line = try next(expecting: "'layer' or 'end'")
            if line.keyword == "batchnorm" {
                network.layers[network.layers.count - 1].batchNorm = try batchNorm(line, units: layer.units, number: network.layers.count)
                line = try next(expecting: "'layer' or 'end'")
            }
        }
        guard line.keyword == "end", line.tokens.count == 1 else {
            throw .modelExpected(line: line.number, expected: "'layer' or 'end'", found: text(of: line))
        }
        if let extra = nextSignificantLine() {
            throw .trailingText(line: extra.number, text: text(of: extra))
        }
        if !classNames.isEmpty, let last = network.layers.last {
            let fits = ModelFile.classNamesFit(classNames.count, outputs: last.units)
            guard fits else {
                throw .invalidModel(line: classesLine, reason: "\(classNames.count) class names for \(last.units) output\(last.units == 1 ? "" : "s")")
            }
        }
        return ModelContents(network: network, loss: loss, normalization: normalization,
                             classNames: classNames, dropouts: dropouts, features: features)
    }

    // MARK: Lines

    /// header = "nn-model" format
    private mutating func header() throws(DataFileError) {
        guard let first = rawLines.first, !rawLines.allSatisfy({ $0.allSatisfy(\.isWhitespace) }) else {
            throw .emptyFile
        }
        let words = first.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
        nextIndex = 1
        guard words.count == 2, words[0] == ModelFile.formatName, let version = Int(words[1]), version >= 1 else {
            throw .notAModelFile(found: String(first.prefix(60)))
        }
        guard version <= ModelFile.formatVersion else {
            throw .newerModelFormat(found: version, supported: ModelFile.formatVersion)
        }
    }

    /// inputs = "inputs" count
    private mutating func inputs() throws(DataFileError) -> Int {
        let line = try next(expecting: "'inputs'")
        guard line.keyword == "inputs" else { throw .modelExpected(line: line.number, expected: "'inputs'", found: text(of: line)) }
        guard line.tokens.count == 2 else {
            throw .valueCount(line: line.number, expected: 1, found: line.tokens.count - 1, what: "the number of inputs")
        }
        return try positiveCount(line.tokens[1], line: line.number, what: "the number of inputs")
    }

    /// loss = "loss" name [ "delta=" number ]
    private func loss(_ line: Line) throws(DataFileError) -> Loss {
        guard line.tokens.count >= 2 else { throw .valueCount(line: line.number, expected: 1, found: 0, what: "the loss name") }
        let name = line.tokens[1].text
        guard Loss.names.contains(name) else { throw .unknownLoss(line: line.number, name: name) }
        let options = try self.options(line, from: 2, allowed: Loss.takesDelta(name: name) ? ["delta"] : [])
        let delta = options["delta"]
        guard let loss = Loss(name: name, delta: delta) else {
            throw .invalidModel(line: line.number, reason: "delta must be a finite number above 0")
        }
        return loss
    }

    /// classes = "classes" { string }
    private func classes(_ line: Line) throws(DataFileError) -> [String] {
        let names = line.tokens.dropFirst()
        if let bare = names.first(where: { !$0.quoted }) {
            throw .modelExpected(line: line.number, expected: "a class name in double quotes", found: bare.text)
        }
        return names.map(\.text)
    }

    /// features = "features" count { string }: the raw inputs, then one expression per input
    private func features(_ line: Line, inputCount: Int) throws(DataFileError) -> (rawInputCount: Int, texts: [String]) {
        guard line.tokens.count >= 2 else {
            throw .valueCount(line: line.number, expected: 1, found: 0, what: "the number of raw inputs")
        }
        let rawCount = try positiveCount(line.tokens[1], line: line.number, what: "the number of raw inputs")
        let texts = line.tokens.dropFirst(2)
        if let bare = texts.first(where: { !$0.quoted }) {
            throw .modelExpected(line: line.number, expected: "a feature in double quotes", found: bare.text)
        }
        guard texts.count == inputCount else {
            throw .valueCount(line: line.number, expected: inputCount, found: texts.count, what: "one feature per input")
        }
        return (rawCount, texts.map(\.text))
    }

    /// normalization = "normalization" method NEWLINE "offsets" { number } NEWLINE "scales" { number }
    private mutating func normalization(_ line: Line, inputCount: Int) throws(DataFileError) -> Normalization {
        guard line.tokens.count == 2 else {
            throw .valueCount(line: line.number, expected: 1, found: line.tokens.count - 1, what: "the normalization method")
        }
        guard let method = Normalization.Method(rawValue: line.tokens[1].text) else {
            throw .unknownNormalization(line: line.number, name: line.tokens[1].text)
        }
        let (offsets, _) = try numberLine(keyword: "offsets", count: inputCount, what: "one offset per input")
        let (scales, scalesLine) = try numberLine(keyword: "scales", count: inputCount, what: "one scale per input")
        // Fitting never gives 0 (a constant feature gets 1); other values load as saved.
        if let bad = scales.firstIndex(of: 0) {
            throw .invalidModel(line: scalesLine, reason: "scale \(bad + 1) must not be 0")
        }
        return Normalization(method: method, offsets: offsets, scales: scales)
    }

    /// layer = "layer" units activation [ "alpha=" number ] [ "dropout=" number ]
    ///         NEWLINE "weights" { NEWLINE { number } } NEWLINE "biases" { number }
    private mutating func layer(_ line: Line, inputCount: Int, number: Int) throws(DataFileError) -> (DenseLayer, Double?) {
        guard line.tokens.count >= 3 else {
            throw .valueCount(line: line.number, expected: 2, found: line.tokens.count - 1, what: "the units and activation of layer \(number)")
        }
        let units = try positiveCount(line.tokens[1], line: line.number, what: "the number of units")
        let name = line.tokens[2].text
        guard Activation.names.contains(name) else { throw .unknownActivation(line: line.number, name: name) }
        let options = try self.options(line, from: 3, allowed: (Activation.takesAlpha(name: name) ? ["alpha"] : []) + ["dropout"])
        guard let activation = Activation(name: name, alpha: options["alpha"]) else {
            throw .invalidModel(line: line.number, reason: "alpha must be a finite number")
        }
        let dropout = options["dropout"]
        if let dropout, !(dropout >= 0 && dropout < 1) {
            throw .invalidModel(line: line.number, reason: "dropout must be at least 0 and below 1")
        }

        let weightsLine = try next(expecting: "'weights' of layer \(number)")
        guard weightsLine.keyword == "weights", weightsLine.tokens.count == 1 else {
            throw .modelExpected(line: weightsLine.number, expected: "'weights' of layer \(number)", found: text(of: weightsLine))
        }
        var weights: [Double] = []
        for unit in 1...units {
            let row = try next(expecting: "the weights of unit \(unit) of layer \(number)")
            if let first = row.tokens.first, first.quoted || Double(first.text) == nil {
                throw .modelExpected(line: row.number, expected: "the weights of unit \(unit) of layer \(number)", found: text(of: row))
            }
            guard row.tokens.count == inputCount else {
                throw .valueCount(line: row.number, expected: inputCount, found: row.tokens.count,
                                  what: "the weights of unit \(unit) of layer \(number)")
            }
            for token in row.tokens { weights.append(try value(token, line: row.number)) }
        }
        let (biases, _) = try numberLine(keyword: "biases", count: units, what: "the biases of layer \(number)")
        let layer = DenseLayer(weights: Matrix(rows: units, columns: inputCount, storage: weights),
                               biases: biases, activation: activation)
        return (layer, dropout)
    }

    /// batchnorm = "batchnorm" batches NEWLINE "gamma" { number } NEWLINE "beta" { number }
    ///             NEWLINE "running_mean" { number } NEWLINE "running_var" { number }
    private mutating func batchNorm(_ line: Line, units: Int, number: Int) throws(DataFileError) -> BatchNorm {
        guard line.tokens.count == 2, !line.tokens[1].quoted, let batches = Int(line.tokens[1].text), batches >= 0 else {
            throw .invalidModel(line: line.number, reason: "'batchnorm' takes the number of batches tracked, a whole number from 0")
        }
        let (gamma, _) = try numberLine(keyword: "gamma", count: units, what: "γ of layer \(number)")
        let (beta, _) = try numberLine(keyword: "beta", count: units, what: "β of layer \(number)")
        let (mean, _) = try numberLine(keyword: "running_mean", count: units, what: "the running means of layer \(number)")
        let (variance, varianceLine) = try numberLine(keyword: "running_var", count: units, what: "the running variances of layer \(number)")
        guard variance.allSatisfy({ $0 >= 0 }) else {
            throw .invalidModel(line: varianceLine, reason: "a running variance must be at least 0")
        }
        return BatchNorm(gamma: gamma, beta: beta, runningMean: mean, runningVariance: variance, batchesTracked: batches)
    }

    /// line = keyword { number }, with exactly `count` numbers; also gives the line's number.
    private mutating func numberLine(keyword: String, count: Int, what: String) throws(DataFileError) -> ([Double], Int) {
        let line = try next(expecting: "'\(keyword)'")
        guard line.keyword == keyword else { throw .modelExpected(line: line.number, expected: "'\(keyword)'", found: text(of: line)) }
        guard line.tokens.count - 1 == count else {
            throw .valueCount(line: line.number, expected: count, found: line.tokens.count - 1, what: what)
        }
        var values: [Double] = []
        for token in line.tokens.dropFirst() { values.append(try value(token, line: line.number)) }
        return (values, line.number)
    }

    /// option = name "=" number, each allowed name at most once.
    private func options(_ line: Line, from start: Int, allowed: [String]) throws(DataFileError) -> [String: Double] {
        var result: [String: Double] = [:]
        for token in line.tokens.dropFirst(start) {
            let parts = token.text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard !token.quoted, parts.count == 2, allowed.contains(String(parts[0])), result[String(parts[0])] == nil else {
                let expected = allowed.isEmpty ? "the end of the line" : allowed.map { "'\($0)='" }.joined(separator: " or ")
                throw .modelExpected(line: line.number, expected: expected, found: token.text)
            }
            result[String(parts[0])] = try value(ModelToken(text: String(parts[1]), quoted: false), line: line.number)
        }
        return result
    }

    // MARK: Words

    private func value(_ token: ModelToken, line: Int) throws(DataFileError) -> Double {
        guard !token.quoted, let value = Double(token.text) else { throw .badNumber(line: line, text: token.text) }
        return value
    }

    private func positiveCount(_ token: ModelToken, line: Int, what: String) throws(DataFileError) -> Int {
        guard !token.quoted, let count = Int(token.text), count > 0 else {
            throw .invalidModel(line: line, reason: "\(what) must be a whole number above 0, found '\(token.text)'")
        }
        return count
    }

    private func text(of line: Line) -> String {
        line.tokens.map { $0.quoted ? ModelFile.quoted($0.text) : $0.text }.joined(separator: " ")
    }

    // MARK: Cursor

    /// The next line that is neither blank nor a comment; at the end of the file, an error
    /// saying what was expected.
    private mutating func next(expecting expected: String) throws(DataFileError) -> Line {
        guard let line = try nextLine() else { throw .unexpectedEnd(line: endLine, expected: expected) }
        return line
    }

    private mutating func nextLine() throws(DataFileError) -> Line? {
        while nextIndex < rawLines.count, !poll.shouldStop() {
            let raw = rawLines[nextIndex]
            nextIndex += 1
            if Self.isBlankOrComment(raw) { continue }
            return Line(number: nextIndex, tokens: try Self.tokens(of: raw, line: nextIndex))
        }
        return nil
    }

    /// The next significant line after `end`, read leniently: any line there is an error.
    private mutating func nextSignificantLine() -> Line? {
        while nextIndex < rawLines.count {
            let raw = rawLines[nextIndex]
            nextIndex += 1
            if Self.isBlankOrComment(raw) { continue }
            let trimmed = raw.drop(while: { $0.isWhitespace })
            return Line(number: nextIndex, tokens: [ModelToken(text: String(trimmed.prefix(60)), quoted: false)])
        }
        return nil
    }

    private static func isBlankOrComment(_ raw: Substring) -> Bool {
        let trimmed = raw.drop(while: { $0.isWhitespace })
        return trimmed.isEmpty || trimmed.hasPrefix("#")
    }

    /// words = { spaces ( bare | '"' { character | escape } '"' ) }
    static func tokens(of line: Substring, line number: Int) throws(DataFileError) -> [ModelToken] {
        var tokens: [ModelToken] = []
        var scalars = line.unicodeScalars[...]
        while true {
            scalars = scalars.drop(while: { $0 == " " || $0 == "\t" || $0 == "\r" })
            guard let first = scalars.first else { return tokens }
            if first != "\"" {
                let word = scalars.prefix(while: { $0 != " " && $0 != "\t" && $0 != "\r" })
                tokens.append(ModelToken(text: String(String.UnicodeScalarView(word)), quoted: false))
                scalars = scalars.dropFirst(word.count)
                continue
            }
            scalars = scalars.dropFirst()
            var text = String.UnicodeScalarView()
            while true {
                guard let scalar = scalars.popFirst() else {
                    throw .modelExpected(line: number, expected: "'\"' to close the class name", found: "the end of the line")
                }
                if scalar == "\"" { break }
                guard scalar == "\\" else {
                    text.append(scalar)
                    continue
                }
                guard let escaped = scalars.popFirst() else {
                    throw .modelExpected(line: number, expected: "an escape after '\\'", found: "the end of the line")
                }
                switch escaped {
                case "\"", "\\": text.append(escaped)
                case "n": text.append("\n")
                case "t": text.append("\t")
                case "r": text.append("\r")
                case "u":
                    guard scalars.popFirst() == "{",
                          let close = scalars.firstIndex(of: "}"),
                          let value = UInt32(String(String.UnicodeScalarView(scalars[..<close])), radix: 16),
                          let decoded = Unicode.Scalar(value) else {
                        throw .modelExpected(line: number, expected: "'\\u{hex}'", found: String(String.UnicodeScalarView(scalars.prefix(12))))
                    }
                    text.append(decoded)
                    scalars = scalars[scalars.index(after: close)...]
                default:
                    throw .modelExpected(line: number, expected: "one of the escapes \\\" \\\\ \\n \\t \\r \\u{hex}", found: "\\\(escaped)")
                }
            }
            tokens.append(ModelToken(text: String(text), quoted: true))
        }
    }
}
