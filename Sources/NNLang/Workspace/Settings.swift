import NNEngine

/// How the session works, as `set`, `optimizer` and `init` choose it: how numbers print, the
/// seed, the default learning rate, the arithmetic, the names explanations use, the limits
/// and the pictures' characters and width.
///
/// Settings outlive `clear` and are not undone by `undo`: they are how to work, not what was built.
public struct Settings: Equatable, Sendable {
    /// Significant digits printed (`set precision`).
    public var precision = 10
    /// Decimal places to print instead of significant digits, after `set decimals N`.
    public var decimals: Int?
    public var seed: UInt64 = Settings.defaultSeed
    /// The learning rate `step` and `train` use unless told otherwise (`set lr`, `optimizer … lr=`).
    public var learningRate = 0.1
    /// The arithmetic `train` uses (`set dtype`); float64 unless asked, as worked examples need it.
    public var dtype: Precision = .float64
    /// The names explanations use (`set notation`).
    public var notation: Notation.Choice = .auto
    /// How weight matrices are written (`set convention`): units × inputs, or inputs × units.
    public var convention: WeightConvention = .columns
    /// The optimizer `train` uses unless told otherwise (`optimizer NAME`).
    public var optimizer = OptimizerSettings(kind: .sgd)
    /// The initializer new layers get unless told otherwise (`init NAME`).
    public var initializer: Initializer = .xavierUniform
    /// The most numbers one matrix may hold: a layer's weights, a product, a generated data set,
    /// a range (`set max_elements N`).
    public var maxElements = Settings.defaultMaxElements
    /// The most bytes one allocation a statement asks for may take: class targets, a
    /// Jacobian, what `undo` keeps (`set memory_limit BYTES`). See `MemoryBudget`.
    public var memoryLimit = MemoryBudget.defaultLimit
    /// The characters terminal pictures use: ASCII when the locale is not UTF-8 (`set charset`).
    public var charset: Charset = .unicode
    /// How many columns wide `plot` draws in the terminal: the executable passes the
    /// terminal's width (`set width` changes it).
    public var plotWidth = 80
    /// Vectors and matrices of more numbers than this print summarized (`set print_limit`; 0
    /// prints every number). NumPy's threshold.
    public var printLimit = 1000

    public init() {}

    /// The seed used until `set seed`, so that a fresh session is reproducible.
    public static let defaultSeed: UInt64 = 42
    /// The default of `max_elements`: 10⁸ numbers (800 MB), room for an MNIST-sized data set
    /// (60,000 × 784) while a typo like `layer 1000000000` stays a diagnostic, not an
    /// out-of-memory kill.
    public static let defaultMaxElements = 100_000_000
    /// The largest `set max_elements` accepts: 2⁴⁰ numbers (8 TiB), so sizes computed from it
    /// cannot overflow; the memory limit refuses far less.
    public static let maxElementsCeiling = 1 << 40
    /// The widths `set width` and `plot … width=` accept.
    static let plotWidthRange = 20...1000

    /// How values print.
    var formatter: ValueFormatter {
        ValueFormatter(precision: precision, decimals: decimals, summaryThreshold: printLimit == 0 ? nil : printLimit, lineWidth: plotWidth)
    }
}

/// The settings `set` changes, by the names the language gives them.
public enum Setting: String, CaseIterable, Sendable {
    case precision
    case decimals
    case maxElements = "max_elements"
    case threads
    case dtype
    case seed
    case lr
    case notation
    case charset
    case width
    case convention
    case printLimit = "print_limit"
    case memoryLimit = "memory_limit"
}

/// How weight matrices are written: the two conventions of the course notes. The network
/// keeps W as units × inputs either way (and model files record that); the convention is how
/// `W1`, `W1[i,j]`, `grad W1`, pictures and explanations show it.
public enum WeightConvention: String, CaseIterable, Sendable {
    /// `z = W x + b`, a sample as a column: W is units × inputs, `W[i,j]` from input j to unit i.
    case columns
    /// `Z = A W + b`, samples as rows: W is inputs × units, `W[i,j]` from input i to unit j.
    case rows

    /// A layer's weight matrix as this convention writes it, from the network's units × inputs.
    func shown(_ weights: Matrix) -> Matrix {
        self == .rows ? weights.transposed : weights
    }

    /// A weight matrix written in this convention, as the network keeps it (units × inputs).
    func stored(_ weights: Matrix) -> Matrix {
        self == .rows ? weights.transposed : weights
    }

    /// How help and messages describe W's shape.
    var shapeWords: String {
        self == .rows ? "inputs × units" : "units × inputs"
    }
}
