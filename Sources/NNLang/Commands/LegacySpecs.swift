import NNEngine

/// Transitional: the specs of commands still run by the session's old dispatch. Each moves
/// into its command value, with typed options, and leaves this file.
enum LegacySpecs {
    static let explain = CommandSpec(
            "explain", .inspection, "show the arithmetic: the chain rule of a gradient, a forward pass, the loss, a step",
            positional: [
                ArgumentSpec("WHAT", "grad, forward, loss or step", .word(.explainTopic)),
                ArgumentSpec("PARAM", "for grad, a parameter", .parameter, optional: true),
            ],
            options: [
                OptionSpec("limit", "N", "samples, neurons or parameters written out", default: "8 (24 for step)"),
                OptionSpec("sample", "N", "forward: which sample", default: "1"),
                OptionSpec("lr", "X", "step: the learning rate", default: "the session's"),
            ],
            details: [
                "explain grad w5: ∂E/∂w5 as a product of chain-rule factors, each with its value; for a hidden weight,",
                "first the sum over every path through the next layer. explain grad W2: the matrix form δᵀ A with shapes.",
                "With several samples, each sample's product and their mean. explain forward: each neuron's",
                "net = w·x + b and out = φ(net). explain loss: each output's term and the total. explain step:",
                "every update w⁺ = w − η ∂E/∂w, done, then the loss before and after.",
                "Names follow 'set notation': classic (i1, h1, o1, net_h1, out_o1, w1…) for one hidden layer,",
                "layered (x[j], z2[i], a2[i], W2[i,j]) otherwise. Numbers at the session's precision.",
                "explain grad(EXPR, VAR): the computational graph of any expression, each node's value forward,",
                "then each node's adjoint backward as the adjoint above times the local derivative; no network needed.",
            ],
            examples: ["explain grad w5", "explain grad W2", "explain grad(sigmoid(x + y), x)", "explain forward", "explain loss", "explain step lr=0.5"])

    static let gradcheck = CommandSpec(
            "gradcheck", .inspection, "check backpropagation against central differences",
            positional: [ArgumentSpec("PARAM", "a parameter", .parameter, optional: true)],
            options: [OptionSpec("eps", "X", "the step ε of (L(θ+ε) − L(θ−ε)) / 2ε", default: "1e-6")],
            details: [
                "For every parameter (or PARAM: w5, W2, b1, W2[1,2]) compares ∂E/∂θ from backpropagation with the",
                "central difference, and prints the largest relative error |a − n| / (|a| + |n|), where it is, and",
                "PASS or FAIL against a tolerance of 1e-5. A FAIL makes the program end with exit status 1.",
            ],
            examples: ["gradcheck", "gradcheck W1", "gradcheck w5 eps=1e-4"])

    static let deriv = CommandSpec(
            "deriv", .inspection, "a derivative at a point, beside its central difference",
            positional: [
                // Any name: an activation or the user's own function, told apart when it runs.
                ArgumentSpec("F", "an activation or a one-argument function", .name, completions: .activationsAndFunctions),
                ArgumentSpec("at", "'at'", .word(.at)),
                ArgumentSpec("X", "the point", .value),
            ],
            options: [OptionSpec("h", "Δ", "the step of (f(x+Δ) − f(x−Δ)) / 2Δ", default: "0.001")],
            details: [
                "For an activation, its derivative formula; for a function of your own (def f(x) = …), its",
                "derivative by automatic differentiation, as deriv(f, x) gives it. Either way beside the central",
                "difference (f(x+h) − f(x−h)) / 2h, as numderiv(f, x, h) gives it, and the difference of the two.",
            ],
            examples: ["deriv sigmoid at 0.5", "deriv tanh at 1 h=1e-5", "def f(x) = x^3\nderiv f at 2"])

    static let table = CommandSpec(
            "table", .inspection, "z, φ(z) and φ'(z) of an activation, as a table",
            positional: [ArgumentSpec("ACTIVATION", "an activation", .word(.activation))],
            options: [
                OptionSpec("from", "X", "the first z", default: "-4"),
                OptionSpec("to", "X", "the last z", default: "4"),
                OptionSpec("step", "X", "between rows", default: "1"),
            ],
            examples: ["table sigmoid", "table tanh from=-2 to=2 step=0.5"])

    static let expect = CommandSpec(
            "expect", .session, "check a value, as a lab sheet does",
            positional: [ArgumentSpec("CLAIM", "a comparison like loss < 0.1", .value)],
            options: [OptionSpec("tol", "X", "how far apart == may be (and != must be)", default: "1e-6")],
            details: [
                "CLAIM is a comparison: ==, !=, <, <=, > or >=, elementwise for vectors and matrices.",
                "Silent when it holds (✓ at the prompt). When it does not, the expected and actual values are",
                "reported with the place, the program goes on, and nn ends with exit status 1.",
            ],
            examples: ["expect loss == 0.298371109 tol=1e-9", "expect grad(w5) > 0", "expect predict([0, 1]) > 0.9"])

    static let example = CommandSpec(
            "example", .session, "set up a classic worked example: mazur or xor",
            positional: [ArgumentSpec("NAME", "an example", .word(.example))],
            details: [
                "mazur: the network, weights and data of Matt Mazur's \"A Step by Step Backpropagation Example\".",
                "xor: a 2-2-1 sigmoid network whose hand-picked weights compute XOR. Replaces the network and data.",
            ],
            examples: ["example mazur", "example xor"])

    static let snapshot = CommandSpec(
            "snapshot", .session, "keep a copy of the network's parameters under a name",
            positional: [ArgumentSpec("NAME", "a name", .name)],
            examples: ["snapshot before"])

    static let restore = CommandSpec(
            "restore", .session, "bring back a snapshot",
            positional: [ArgumentSpec("NAME", "a snapshot's name", .name, completions: .snapshots)],
            examples: ["restore before"])

    static let undo = CommandSpec(
            "undo", .session, "revert the last statement that changed the network",
            details: ["Remembers the last 20 changes: layers, assignments, steps, training, loads."])

    static let forward = CommandSpec(
            "forward", .inspection, "run a forward pass and print each layer's z = W x + b and a = φ(z)",
            positional: [ArgumentSpec("X", "inputs", .value, optional: true)],
            details: ["Uses the data's inputs when X is omitted."],
            examples: ["forward", "forward [0.05, 0.10]"])

    static let grad = CommandSpec(
            "grad", .inspection, "print the gradient of the loss with respect to a parameter, or all of them",
            positional: [ArgumentSpec("PARAM", "a parameter", .parameter, optional: true)],
            details: [
                "Parameters: W1…WL (weight matrices), b1…bL (bias vectors), W2[i,j] and b1[i] (1-based),",
                "and w1…wN, single weights numbered layer by layer, row by row (w5 is W2[1,1] in a 2-2-2 network).",
            ],
            examples: ["grad w5", "grad W2", "grad W2[1,2]", "grad"])

    static let predict = CommandSpec(
            "predict", .inspection, "print the network's output for the given inputs",
            positional: [ArgumentSpec("X", "inputs", .value)],
            examples: ["predict [[0, 1], [1, 1]]"])

    static let plot = CommandSpec(
            "plot", .inspection, "draw the loss curve, an activation, decision regions, a matrix or a function of x",
            positional: [
                ArgumentSpec("WHAT", "what to plot: loss, boundary, an activation, a matrix or an expression of x", .value),
                ArgumentSpec("to \"FILE\"", "'to' and a file name", .value, optional: true),
                ArgumentSpec("", "a file name in quotes", .value, optional: true),
            ],
            options: [
                OptionSpec("from", "X", "the first x: of z for an activation, of the epochs for loss", default: "-4, or the first epoch"),
                OptionSpec("to", "X", "the last x", default: "4, or the last epoch"),
                OptionSpec("width", "N", "columns in the terminal", default: "the terminal's, or 'set width'"),
                OptionSpec("height", "N", "rows of the canvas in the terminal", default: "from the width"),
            ],
            details: [
                "loss: the training (and validation) loss of every epoch of the last 'train'.",
                "boundary: for data with two inputs, the class the network predicts over the plane, paler near",
                "the boundary, with the samples drawn over it; test samples (after 'split') marked differently.",
                "An activation's name: the function and its derivative. A matrix or vector (W1, b2, any value):",
                "a heat map, negative orange and positive blue, with its scale.",
                "An expression of one variable: a curve over from=…to=. The variable is the expression's one",
                "name that is not a variable, a parameter or loss (x in sigmoid(x) * 2, t in t * t). If every",
                "name has a value, x is the variable when the expression reads it.",
                "In the terminal: braille (or ASCII after 'set charset ascii'), colour on a colour terminal.",
                "to \"FILE.svg\" writes a standalone SVG picture instead, replacing the file whole.",
            ],
            examples: [
                "plot loss", "plot sigmoid from=-6 to=6", "plot boundary", "plot W1",
                "plot sigmoid(x) * 2 from=-3 to=3", "plot loss to \"loss.svg\"",
            ])

    static let draw = CommandSpec(
            "draw", .network, "draw the network: neurons in columns, with the weights of small networks",
            positional: [
                ArgumentSpec("to \"FILE\"", "'to' and a file name", .value, optional: true),
                ArgumentSpec("", "a file name in quotes", .value, optional: true),
            ],
            details: [
                "In the terminal: a column of neurons per layer, named as 'explain' names them; a network of at most",
                "\(NetworkDrawing.labelledParameterLimit) parameters also shows each bias and what each neuron computes from its inputs.",
                "to \"FILE.dot\" (or .gv): Graphviz DOT with every neuron and every weight as a labelled edge, biases as",
                "edges from a node '1', as R's neuralnet draws (dot -Tpng net.dot -o net.png). to \"FILE.svg\": the same as SVG.",
            ],
            examples: ["draw", "draw to \"net.dot\"", "draw to \"net.svg\""])

    static let save = CommandSpec(
            "save", .session, "write the model to a file",
            positional: [ArgumentSpec("FILE", "a file name in quotes", .value)],
            details: [
                "Writes the layers, activations, loss, every parameter at full precision, the normalization and the",
                "class names, as readable text (docs/model-format.md). The old file stays whole until the new one is written.",
            ],
            examples: ["save \"iris.nnm\""])

    static let load = CommandSpec(
            "load", .session, "read a model written by save",
            positional: [ArgumentSpec("FILE", "a file name in quotes", .value)],
            details: ["Replaces the network, loss, normalization and class names; a bad file changes nothing."],
            examples: ["load \"iris.nnm\""])

    static let exportSpec = CommandSpec(
            "export", .session, "write a value or parameter as a NumPy .npy file (float64)",
            positional: [ArgumentSpec("VALUE", "a value", .value), ArgumentSpec("FILE", "a file name in quotes", .value)],
            details: ["A vector is written as one row. Read it in Python with numpy.load."],
            examples: ["export W1 \"w1.npy\"", "export predict([[0, 1]]) \"out.npy\""])

    static let printSpec = CommandSpec(
            "print", .inspection, "print values, separated by spaces",
            positional: [ArgumentSpec("EXPR", "a value", .values)],
            examples: ["print sigmoid(0)", "print w1, w2, loss"])

    static let setSpec = CommandSpec(
            "set", .session, "change a setting: precision, decimals, seed, lr, notation, dtype, threads, max_elements, charset, width",
            positional: [ArgumentSpec("NAME", "a setting", .word(.setting)), ArgumentSpec("VALUE", "a value", .value)],
            details: [
                "precision N: significant digits printed, 1 to 17 (10). decimals N: N decimal places instead, trailing",
                "zeros dropped, as worked examples print (set decimals 9 gives 0.082167041); set precision to go back.",
                "seed N: the random seed (42). lr X: the default learning rate (0.1).",
                "max_elements N: the most numbers one matrix, product, layer or generated data set may hold (10⁸).",
                "threads N: threads for matrix products (OPENBLAS_NUM_THREADS, else the cores). dtype float32|float64:",
                "the arithmetic 'train' uses (float64; float32 is faster, to about 7 digits).",
                "notation: the names explain uses: auto (the default), classic or layered.",
                "charset: unicode or ascii, the characters plot and draw use. width N: the columns plot fills.",
            ],
            examples: ["set precision 4", "set decimals 9", "set seed 7", "set lr 0.5", "set notation layered"])

    static let timeSpec = CommandSpec(
            "time", .session, "run a statement, then print its wall time",
            takesStatement: true,
            examples: ["time train epochs=1000"])

    static let help = CommandSpec(
            "help", .session, "list the commands, or explain one",
            positional: [ArgumentSpec("TOPIC", "a topic", .word(.helpTopic), optional: true)],
            examples: ["help", "help layer", "help sigmoid"])

    static let quit = CommandSpec("quit", .session, "end the session")

    static let exitSpec = CommandSpec("exit", .session, "end the session")
}

/// Transitional: a command whose body is still a session method, reached by name.
struct LegacyCommand: Command {
    let spec: CommandSpec

    func run(_ invocation: Invocation) throws(Diagnostic) {
        invocation.flow = try invocation.session.executeLegacy(invocation.statement, span: invocation.span)
    }
}
