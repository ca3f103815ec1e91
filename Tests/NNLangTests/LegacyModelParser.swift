import NNEngine
@testable import NNLang

// The model-file parser as it was before it read numbers straight from the bytes (a String per
// line and per word, `Double(String)` for each), kept only as the oracle of
// ModelFileOracleTests: the new parser must give the same model, or the same error, for every input.

extension LegacyModelParser {
    /// What `ModelFile.decode` gave for `text` before.
    static func decode(_ text: String) -> Result<ModelContents, DataFileError> {
        var parser = LegacyModelParser(text)
        do throws(DataFileError) {
            return .success(try parser.model())
        } catch {
            return .failure(error)
        }
    }
}

/// Reads a model file line by line; one method per kind of line, in file order.
struct LegacyModelParser {
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
