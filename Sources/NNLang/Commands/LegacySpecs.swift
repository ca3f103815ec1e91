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
