import NNEngine

/// Transitional: the specs of commands still run by the session's old dispatch. Each moves
/// into its command value, with typed options, and leaves this file.
enum LegacySpecs {
    static let data = CommandSpec(
            "data", .data, "set the training data: a data set, a file, or matrices",
            positional: [ArgumentSpec("SOURCE", "a data set name or a file name in quotes", .source(.dataSet), optional: true)],
            options: [
                OptionSpec("x", "MATRIX", "the inputs, one row per sample, or a .npy file name", default: "with SOURCE, none"),
                OptionSpec("y", "MATRIX", "the targets, one row per sample, or a .npy file name", default: "with SOURCE, none"),
                OptionSpec("target", "COLUMN", "a CSV file's target column: text is classes, numbers regression", default: "the last column"),
                OptionSpec("n", "N", "generated data: the number of samples", default: "200"),
                OptionSpec("samples", "N", "generated data: the same as n=", default: "200"),
                OptionSpec("noise", "X", "generated data: the noise's standard deviation", default: "0.1"),
                OptionSpec("seed", "N", "generated data: the seed", default: "drawn from the session's generator"),
                OptionSpec("classes", "K", "blobs and random: the number of classes", default: "3 for blobs"),
                OptionSpec("inputs", "M", "blobs, linear and random: the number of inputs", default: "2 for blobs, 1 for linear"),
            ],
            details: [
                "Generated, as in TensorFlow Playground: xor, and, or (truth tables), circles, moons, spirals, gaussians",
                "(two classes, a 0/1 target); blobs (classes=K, one-hot); sine, linear (regression); random (benchmarks:",
                "inputs uniform in [0, 1), one-hot labels; needs inputs= and classes=).",
                "Bundled: iris (150 flowers, 4 measurements, 3 species) and digits (1797 8×8 images, 10 digits).",
                "Files: CSV with a header row (target= names the target column); FANN .data; .npy through x= and y=.",
                "A vector stands for a single sample. New data replaces the old, and its split.",
            ],
            examples: [
                "data xor", "data circles n=300 noise=0.2 seed=1", "data iris",
                "data \"flowers.csv\" target=species", "data x=\"x.npy\" y=\"y.npy\"",
                "data x=[[0, 0], [0, 1], [1, 0], [1, 1]] y=[[0], [1], [1], [0]]",
            ])

    static let split = CommandSpec(
            "split", .data, "hold out a random share of the samples for testing",
            options: [
                OptionSpec("test", "F", "the share held out", default: "0.2"),
                OptionSpec("seed", "N", "the shuffle's seed", default: "the session's generator"),
            ],
            details: ["Training, loss and grad then use the training part; 'evaluate' uses the test part."],
            examples: ["split test=0.2 seed=1"])

    static let normalize = CommandSpec(
            "normalize", .data, "scale the inputs with statistics of the training part",
            positional: [ArgumentSpec("METHOD", "standard, minmax or none", .word(.normalization), optional: true)],
            details: [
                "standard: (x − mean) / standard deviation; minmax: (x − min) / (max − min); none: stop scaling.",
                "The statistics are fitted now, to the training part (after 'split'), kept with the model",
                "and applied to every input after, 'predict' and 'forward' included.",
            ],
            examples: ["normalize standard", "normalize minmax"])

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

    static let evaluate = CommandSpec(
            "evaluate", .inspection, "the loss, and accuracy for classes, on the test part",
            details: ["Uses the samples 'split' held out, or the training data when there is no split."],
            examples: ["split test=0.2\ntrain epochs=100\nevaluate"])

    static let confusion = CommandSpec(
            "confusion", .inspection, "the confusion matrix of true and predicted classes",
            details: ["Rows are true classes, columns predicted ones; on the test part, or the training data without a split."])

    static let history = CommandSpec(
            "history", .inspection, "the per-epoch loss, accuracy and learning rate of the last train",
            options: [OptionSpec("limit", "N", "rows shown, evenly spread", default: "20")])

    static let show = CommandSpec(
            "show", .inspection, "describe the data: shape, classes, split and first rows",
            positional: [ArgumentSpec("WHAT", "what to show", .word(.showTopic))],
            examples: ["show data"])

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

    static let step = CommandSpec(
            "step", .training, "one gradient-descent update of every parameter on the whole data set",
            options: [OptionSpec("lr", "X", "learning rate", default: "the session's, 0.1 until 'set lr'")],
            details: ["Prints the loss before and after the update."],
            examples: ["step lr=0.5"])

    static let train = CommandSpec(
            "train", .training, "train the network on the data",
            options: [
                OptionSpec("epochs", "N", "passes over the data", default: "100"),
                OptionSpec("lr", "X", "learning rate", default: "the session's, 0.1 until 'set lr'"),
                OptionSpec("batch", "N", "samples per update; all for the whole data set", default: "all", choices: ["all"]),
                OptionSpec("shuffle", "B", "shuffle the samples every epoch (seeded)", default: "false", choices: ["true", "false"]),
                OptionSpec("optimizer", "NAME", "sgd, momentum, nesterov, adagrad, rmsprop or adam", default: "the session's, sgd", choices: OptimizerKind.allCases.map(\.rawValue)),
                OptionSpec("momentum", "X", "momentum and nesterov's μ", default: "0.9"),
                OptionSpec("beta1", "X", "adam's first-moment decay", default: "0.9"),
                OptionSpec("beta2", "X", "adam's second-moment decay", default: "0.999"),
                OptionSpec("eps", "X", "the ε added to denominators", default: "1e-8; adagrad 1e-10"),
                OptionSpec("alpha", "X", "rmsprop's smoothing constant", default: "0.99"),
                OptionSpec("weight_decay", "X", "L2 penalty λ: gradients gain λθ", default: "0"),
                OptionSpec("l1", "X", "L1 penalty λ₁: gradients gain λ₁ sign(θ)", default: "0"),
                OptionSpec("schedule", "NAME", "learning rate by epoch: constant, step, exponential, cosine or plateau", default: "constant", choices: LearningRateSchedule.names),
                OptionSpec("every", "N", "schedule=step: epochs between decays", default: "epochs / 3"),
                OptionSpec("gamma", "X", "schedule=step or exponential: the decay factor", default: "0.1 for step, 0.95 for exponential"),
                OptionSpec("min_lr", "X", "schedule=cosine or plateau: the lowest rate", default: "0"),
                OptionSpec("factor", "X", "schedule=plateau: the rate is multiplied by this", default: "0.1"),
                OptionSpec("lr_patience", "N", "schedule=plateau: epochs without improvement before a cut", default: "10"),
                OptionSpec("target_loss", "X", "stop once an epoch's loss is at most X", default: "none"),
                OptionSpec("patience", "N", "early stopping: stop after N epochs without improvement", default: "no early stopping"),
                OptionSpec("min_delta", "X", "early stopping: the least change that counts as improvement", default: "0"),
                OptionSpec("restore_best", "B", "early stopping: go back to the best epoch's weights", default: "true", choices: ["true", "false"]),
                OptionSpec("validation", "F", "hold out the last share F of the training data to validate on", default: "none"),
                OptionSpec("log_every", "N", "in a pipe, print a line every N epochs", default: "about ten lines a run"),
                OptionSpec("quiet", "B", "print nothing (and skip the final loss)", default: "false", choices: ["true", "false"]),
            ],
            details: [
                "Optimizers follow PyTorch's torch.optim update rules and defaults; schedules its lr_scheduler.",
                "Early stopping and schedule=plateau watch the validation loss when there is one, else the training loss.",
                "On a terminal one progress line updates in place; in a pipe a plain line every log_every epochs.",
                "Ends with one line giving the loss (and accuracy, for classes) and the wall time.",
                "At the prompt, Ctrl-C stops training at the end of the current batch.",
            ],
            examples: [
                "train epochs=1000 lr=0.5",
                "train epochs=50 batch=16 shuffle=true optimizer=adam lr=0.001",
                "train epochs=500 validation=0.2 patience=20 schedule=cosine",
            ])

    static let optimizer = CommandSpec(
            "optimizer", .training, "choose the optimizer train uses, or print it",
            positional: [ArgumentSpec("NAME", "an optimizer", .word(.optimizer), optional: true)],
            options: [
                OptionSpec("lr", "X", "the session's learning rate", default: "0.1"),
                OptionSpec("momentum", "X", "momentum and nesterov's μ", default: "0.9"),
                OptionSpec("beta1", "X", "adam's first-moment decay", default: "0.9"),
                OptionSpec("beta2", "X", "adam's second-moment decay", default: "0.999"),
                OptionSpec("eps", "X", "the ε added to denominators", default: "1e-8; adagrad 1e-10"),
                OptionSpec("alpha", "X", "rmsprop's smoothing constant", default: "0.99"),
                OptionSpec("weight_decay", "X", "L2 penalty λ", default: "0"),
                OptionSpec("l1", "X", "L1 penalty λ₁", default: "0"),
            ],
            details: ["sgd, momentum, nesterov, adagrad, rmsprop and adam, with PyTorch's update rules and defaults."],
            examples: ["optimizer adam lr=0.001", "optimizer momentum momentum=0.8 weight_decay=1e-4", "optimizer"])

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

    static let printSpec = CommandSpec(
            "print", .inspection, "print values, separated by spaces",
            positional: [ArgumentSpec("EXPR", "a value", .values)],
            examples: ["print sigmoid(0)", "print w1, w2, loss"])

}

/// Transitional: a command whose body is still a session method, reached by name.
struct LegacyCommand: Command {
    let spec: CommandSpec

    func run(_ invocation: Invocation) throws(Diagnostic) {
        invocation.flow = try invocation.session.executeLegacy(invocation.statement, span: invocation.span)
    }
}
