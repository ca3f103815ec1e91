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
}

/// Transitional: a command whose body is still a session method, reached by name.
struct LegacyCommand: Command {
    let spec: CommandSpec

    func run(_ invocation: Invocation) throws(Diagnostic) {
        invocation.flow = try invocation.session.executeLegacy(invocation.statement, span: invocation.span)
    }
}
