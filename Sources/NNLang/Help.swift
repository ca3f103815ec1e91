import NNEngine

/// The topics `help` knows: every command, function and loss, and a few overviews.
public enum HelpTopics {
    public static let overviews = ["activations", "losses", "functions", "parameters", "expressions"]

    public static var all: [String] {
        var topics = CommandTable.names + overviews
        for name in Builtins.names + Loss.names where !topics.contains(name) { topics.append(name) }
        return topics
    }
}

/// The text of `help`, built from the command table and the function list, so it cannot
/// drift from what the parser accepts.
public enum Help {
    public static func text(for topic: String?) -> String {
        guard let topic else { return overview }
        if let command = CommandTable.command(named: topic) { return text(for: command) }
        switch topic {
        case "activations":
            return (["Activations, for 'layer N ACTIVATION' and as functions:"]
                + Activation.names.map { "  \($0)" + (activationNotes[$0].map { "  \($0)" } ?? "") }).joined(separator: "\n")
        case "losses":
            return text(for: CommandTable.command(named: "loss") ?? CommandTable.commands[0])
        case "functions":
            var table = TextTable([.left, .left])
            for function in Builtins.functions { table.add(["  " + function.signature, function.summary]) }
            return (["Functions:"] + table.lines).joined(separator: "\n")
        case "parameters":
            return """
                Parameters of the network, readable and assignable in expressions:
                  W1 … WL     each layer's weight matrix, units × inputs (z = W x + b)
                  b1 … bL     each layer's bias vector (b1 = 0.35 fills it)
                  W2[i,j]     one weight: row i is a neuron of layer 2, column j its input (1-based)
                  b1[i]       one bias
                  w1 … wN     single weights numbered layer by layer, row by row
                              (in a 2-2-2 network: w1 i1→h1, w2 i2→h1, w3 i1→h2, w4 i2→h2, w5 h1→o1, …)
                """
        case "expressions":
            return """
                Expressions:
                  numbers     0.5  .5  1e-3
                  vectors     [1, 2]        matrices  [[1, 2], [3, 4]] (one row per sample)
                  operators   + - * /  elementwise, a scalar or a row vector broadcast;  @ matrix product
                  names       variables (rate = 0.5), parameters (w5, W1, b2[1]), loss (the current loss)
                  calls       sigmoid(0.3775), softmax([1, 2, 3]), grad(w5), predict([0.05, 0.1]); see 'help functions'
                """
        default:
            if let function = Builtins.function(named: topic) {
                let note = activationNotes[topic].map { "\n  \($0)" } ?? ""
                return "\(function.signature): \(function.summary)\(note)"
            }
            if Loss.names.contains(topic) {
                return "\(topic): a loss; choose it with 'loss \(topic)'. See 'help loss'."
            }
            return overview
        }
    }

    private static let activationNotes: [String: String] = [
        "linear": "φ(z) = z",
        "step": "0 for z < 0, 0.5 at 0, 1 for z > 0; φ' = 0",
        "sign": "−1, 0 or 1; φ' = 0",
        "piecewise_linear": "0 for z ≤ −½, z + ½ between, 1 for z ≥ ½",
        "sigmoid": "φ(z) = 1 / (1 + e^−z); φ' = a (1 − a)",
        "tanh": "φ' = 1 − a²",
        "relu": "max(0, z)",
        "leaky_relu": "z for z ≥ 0, alpha z below (alpha=0.01)",
        "elu": "z for z ≥ 0, alpha (e^z − 1) below (alpha=1)",
        "softplus": "log(1 + e^z); φ' = sigmoid(z)",
        "softmax": "e^z_i / Σ e^z_j over each row",
    ]

    private static var overview: String {
        var table = TextTable([.left, .left])
        for command in CommandTable.commands { table.add(["  " + command.name, command.summary]) }
        return (["Commands:"] + table.lines + [
            "",
            "Statements end at a newline or ';'; '#' starts a comment. 'NAME = EXPR' assigns;",
            "a bare expression prints its value. More: help COMMAND, help \(HelpTopics.overviews.joined(separator: ", help ")).",
        ]).joined(separator: "\n")
    }

    private static func text(for command: CommandSpec) -> String {
        var lines = ["usage: \(command.synopsis)", "", "\(command.summary.prefix(1).uppercased())\(command.summary.dropFirst())."]
        lines += command.details
        if !command.options.isEmpty {
            var table = TextTable([.left, .left])
            for option in command.options { table.add(["  \(option.name)=", option.summary]) }
            lines += ["", "Options:"] + table.lines
        }
        if !command.examples.isEmpty {
            lines += ["", "Examples:"] + command.examples.map { "  " + $0 }
        }
        return lines.joined(separator: "\n")
    }
}
