import NNEngine

/// The topics `help` knows: every command, function and loss, and a few overviews.
public enum HelpTopics {
    public static let overviews = ["activations", "losses", "functions", "parameters", "syntax"]

    public static var all: [String] {
        var topics = CommandTable.names + overviews
        for name in Builtins.names + Loss.names where !topics.contains(name) { topics.append(name) }
        return topics
    }
}

/// The text of `help`, built from the command table and the function list, so it cannot
/// drift from what the parser accepts.
public enum Help {
    public static func text(for topic: String?, palette: Palette = .plain) -> String {
        guard let topic else { return overview(palette) }
        if let command = CommandTable.command(named: topic) { return text(for: command, palette: palette) }
        switch topic {
        case "activations":
            return (["Activations, for 'layer N ACTIVATION' and as functions:"]
                + Activation.names.map { "  \($0)" + (activationNotes[$0].map { "  \($0)" } ?? "") }).joined(separator: "\n")
        case "losses":
            return text(for: CommandTable.command(named: "loss") ?? CommandTable.commands[0], palette: palette)
        case "functions":
            var table = TextTable([.left, .left])
            for function in Builtins.functions { table.add(["  " + function.signature, function.summary]) }
            return (["Functions:"] + table.lines + [
                "Constants: e (2.718281828…) and pi (3.141592654…); a variable of your own named e or pi",
                "wins over the constant (e = 0.5, for e in …). true and false are 1 and 0, and reserved.",
            ]).joined(separator: "\n")
        case "parameters":
            return """
                Parameters of the network, readable and assignable in expressions:
                  W1 … WL     each layer's weight matrix, units × inputs (z = W x + b)
                  b1 … bL     each layer's bias vector (b1 = 0.35 fills it)
                  W2[i,j]     one weight: row i is a neuron of layer 2, column j its input (1-based)
                  b1[i]       one bias
                  w1 … wN     single weights numbered layer by layer, neuron by neuron
                              (in a 2-2-2 network: w1 i1→h1, w2 i2→h1, w3 i1→h2, w4 i2→h2, w5 h1→o1, …)
                  gammaL, betaL   γ and β of layer L's batch normalization (layer N ACT batchnorm=true),
                              vectors like bL, the same in either convention; gamma1[i] one element

                Two conventions, as course notes write them ('set convention'):
                  columns     the default: a sample is a column, z = W x + b, W is units × inputs,
                              W[i,j] goes from input j to unit i; ∂E/∂W = δᵀ X, δ_h = (W_out)ᵀ δ_out ⊙ φ'(z_h)
                  rows        samples are rows, Z = A W + b, W is inputs × units, W[i,j] goes from
                              input i to unit j; ∂E/∂W = Aᵀ Δ, δ_h = δ_out W_outᵀ ⊙ φ'(z_h)
                The network is the same either way: 'set convention rows' shows every W transposed, in
                printing, assignment, indexing, grad, export, plot, draw, summary and explain. w1 … wN
                keep their numbers, and model files are the same whichever convention saved them.

                Values of the session, read-only in expressions (a variable cannot take their names):
                """ + "\n" + sessionValueLines
        case "syntax":
            return """
                Statements end at a newline or ';'; '#' starts a comment. Brackets may span lines.
                  command     a command word, arguments and key=value options: layer 2 sigmoid; train epochs=100 lr=0.5
                  assignment  NAME = EXPR: rate = 0.5, w5 = 0.4, W2[1,2] = 0.45, b1 = 0.35 (fills the vector)
                  expression  a bare expression prints its value: sigmoid(0.3775)
                Expressions:
                  numbers     0.5  .5  1e-3
                  vectors     [1, 2]        matrices  [[1, 2], [3, 4]] (one row per sample)
                  operators   + - * /  elementwise, a scalar or a row vector broadcast;  @ matrix product
                  names       variables (rate), parameters (w5, W1, b2[1]), loss (the current loss)
                  calls       sigmoid(0.3775), softmax([1, 2, 3]), grad(w5), predict([0.05, 0.1]); see 'help functions'
                  strings     "text", for print
                  logic       and, or, not; comparisons == != < <= > >= give 1 or 0; true, false
                  constants   e, pi (a variable of your own with that name wins)
                  power       x^2 (right-associative: 2^3^2 = 512; -x^2 = -(x^2))
                Functions and control flow:
                  def f(x) = x^2            def g(x, y) = sigmoid(x + y)
                  for rate in [0.1, 0.5, 1] { train epochs=500 lr=rate quiet=true; print rate, loss }
                  for i in range(0, 10, 2) { … }      (a vector's elements, a matrix's rows)
                  if loss < 0.1 { print "done" } else { train epochs=100 }   (else on the line of })
                  repeat 3 { step lr=0.5 }
                Blocks may span lines; calls nest at most 100 deep; Ctrl-C stops a loop between iterations.
                The grammar is grammar/nn.ebnf in nn's sources.
                """
        default:
            if let function = Builtins.function(named: topic) {
                let note = activationNotes[topic].map { "\n  \($0)" } ?? ""
                return "\(function.signature): \(function.summary)\(note)"
            }
            if Loss.names.contains(topic) {
                return "\(topic): a loss; choose it with 'loss \(topic)'. See 'help loss'."
            }
            return overview(palette)
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

    private static func overview(_ palette: Palette) -> String {
        // One table for every group, so the summaries line up across groups.
        let commands = CommandGroup.allCases.flatMap { group in CommandTable.commands.filter { $0.group == group } }
        var table = TextTable([.left, .left])
        for command in commands { table.add(["  " + command.name, command.summary]) }
        var lines: [String] = []
        for (command, line) in zip(commands, table.lines) {
            if command.name == commands.first(where: { $0.group == command.group })?.name {
                lines.append(palette.paint(command.group.rawValue + ":", as: .heading))
            }
            lines.append(line)
        }
        return (lines + [
            "",
            "Type 'help COMMAND' for its options and examples; also help \(HelpTopics.overviews.joined(separator: ", help "))."
        ]).joined(separator: "\n")
    }

    private static func text(for command: CommandSpec, palette: Palette) -> String {
        var lines = ["usage: \(command.synopsis)", "", "\(command.summary.prefix(1).uppercased())\(command.summary.dropFirst())."]
        lines += command.details
        if !command.options.isEmpty {
            var table = TextTable([.left, .left])
            for option in command.options {
                let meaning = option.summary + (option.defaultValue.text.map { " (default: \($0))" } ?? " (required)")
                table.add(["  \(option.name)=\(option.placeholder)", meaning])
            }
            lines += ["", palette.paint("Options:", as: .heading)] + table.lines
        }
        if !command.examples.isEmpty {
            lines += ["", palette.paint("Examples:", as: .heading)] + command.examples.map { "  " + $0 }
        }
        return lines.joined(separator: "\n")
    }

    /// `X`, `Y`, … with what each is, for `help parameters`.
    private static var sessionValueLines: String {
        var table = TextTable([.left, .left])
        for (name, meaning) in Session.sessionValues { table.add(["  " + name, meaning]) }
        return table.lines.joined(separator: "\n")
    }
}
