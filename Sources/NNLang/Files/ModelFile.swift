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
        decode(bytes: Array(text.utf8), poll: poll)
    }

    /// The model in the UTF-8 `bytes` of a model file; see `decode(_:poll:)`.
    public static func decode(bytes: [UInt8], poll: StopPoll = .never) -> Result<ModelContents, DataFileError> {
        var parser = ModelParser(bytes: bytes)
        parser.poll = poll
        do throws(DataFileError) {
            return .success(try parser.model())
        } catch {
            return .failure(error)
        }
    }
}
