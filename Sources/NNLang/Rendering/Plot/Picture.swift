import NNEngine
/// What `plot` and `draw` show, before it is drawn: the terminal renderer and the SVG writer
/// both start from one of these, so a picture in a report matches the one on the screen.
enum Picture: Equatable, Sendable {
    /// Curves over one variable: a loss history, an activation, an expression of x.
    case lines(LinePlot)
    /// A classifier's decision regions over the plane, with the data drawn on top.
    case regions(RegionPlot)
    /// A matrix as a grid of coloured cells with a scale.
    case matrix(MatrixPlot)
    /// A function of two variables: coloured bands, contour lines, optimizer paths.
    case surface(SurfacePlot)
    /// Every neuron's activation over the plane of two inputs, or one neuron's.
    case neurons(NeuronMapPlot)
}

/// Curves over one variable, each a series of points.
struct LinePlot: Equatable, Sendable {
    var title: String
    var xLabel: String
    var yLabel: String
    var series: [Series]
    /// The x axis's extent when it is asked for (`from=`, `to=`), else that of the points.
    var xRange: ClosedRange<Double>? = nil

    /// One curve: its points in order of x; a NaN y leaves a gap.
    struct Series: Equatable, Sendable {
        var name: String
        var points: [Point]
    }

    struct Point: Equatable, Sendable {
        var x: Double
        var y: Double
    }

    /// The smallest and largest finite x and y over every series, or nil when there are none.
    var bounds: (x: ClosedRange<Double>, y: ClosedRange<Double>)? {
        let points = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
        guard let first = points.first else { return nil }
        var x = (first.x, first.x)
        var y = (first.y, first.y)
        for point in points {
            x = (min(x.0, point.x), max(x.1, point.x))
            y = (min(y.0, point.y), max(y.1, point.y))
        }
        return (x.0...x.1, y.0...y.1)
    }
}

/// A classifier's decision regions: each cell of a grid over the plane coloured by the class
/// the network predicts there, and how sure it is; the samples drawn over it.
struct RegionPlot: Equatable, Sendable {
    var title: String
    var xLabel: String
    var yLabel: String
    var x: ClosedRange<Double>
    var y: ClosedRange<Double>
    var classNames: [String]
    /// Rows × columns cells, the first row at the top (the largest y), row by row.
    var rows: Int
    var columns: Int
    var cells: [Cell]
    var samples: [Sample]

    struct Cell: Equatable, Sendable {
        /// The predicted class, 0-based.
        var predicted: Int
        /// How sure: 0 on the boundary, 1 certain. For two classes |2p − 1|; for more, the
        /// winning probability rescaled from 1/K…1 to 0…1.
        var confidence: Double
    }

    struct Sample: Equatable, Sendable {
        var x: Double
        var y: Double
        /// The true class, 0-based.
        var label: Int
        /// Held out by `split`: drawn with a different marker.
        var isTest: Bool
    }
}

extension RegionPlot.Cell {
    /// The class an output row (or a target row) stands for, and how sure it is: one column
    /// is the probability of class 1; several are one per class.
    init(classOf output: [Double], classCount: Int) {
        let best = Metrics.classIndex(of: output)
        if output.count == 1 {
            let probability = output[0].isFinite ? min(1, max(0, output[0])) : 0.5
            self.init(predicted: best, confidence: abs(2 * probability - 1))
            return
        }
        let chance = 1 / Double(max(2, classCount))
        let confidence = output[best].isFinite ? (min(1, output[best]) - chance) / (1 - chance) : 0
        self.init(predicted: best, confidence: min(1, max(0, confidence)))
    }
}

/// A matrix as coloured cells: negative orange, positive blue, as TensorFlow Playground.
struct MatrixPlot: Equatable, Sendable {
    var title: String
    var values: [[Double]]
    /// Names of the rows and columns: "neuron" and "input" for a weight matrix.
    var rowLabel: String
    var columnLabel: String

    var rowCount: Int { values.count }
    var columnCount: Int { values.first?.count ?? 0 }

    /// The largest magnitude, so that the scale is symmetric about 0; 1 for an all-zero matrix.
    var magnitude: Double {
        let largest = values.joined().filter(\.isFinite).map(abs).max() ?? 0
        return largest > 0 ? largest : 1
    }
}
