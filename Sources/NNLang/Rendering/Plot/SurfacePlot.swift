/// A function of two variables over a rectangle: its values on a grid, coloured by band between
/// contour levels, with the contour lines and any optimizer paths drawn over it.
struct SurfacePlot: Equatable, Sendable {
    var title: String
    var xLabel: String
    var yLabel: String
    var x: ClosedRange<Double>
    var y: ClosedRange<Double>
    /// Rows × columns samples at the centres of the cells, the first row at the top (the
    /// largest y), row by row; NaN where the function has no finite value (a gap).
    var rows: Int
    var columns: Int
    var values: [Double]
    var paths: [Path] = []

    /// An optimizer's path: its points in order, the start first.
    struct Path: Equatable, Sendable {
        var name: String
        var points: [LinePlot.Point]
    }

    /// How many bands the values are coloured in, at most.
    static let bandCount = 10

    /// The contour levels, in increasing order: the values' deciles, rounded to two significant
    /// digits, so that each band covers about as much of the picture whatever the function's
    /// range (Rosenbrock's runs from 0 to thousands).
    var levels: [Double] {
        let finite = values.filter(\.isFinite).sorted()
        guard let low = finite.first, let high = finite.last, high > low else { return [] }
        var levels: [Double] = []
        for band in 1..<Self.bandCount {
            let level = Self.rounded(finite[band * (finite.count - 1) / Self.bandCount])
            let previous = levels.last ?? -Double.infinity
            if level > low && level < high && level > previous { levels.append(level) }
        }
        return levels
    }

    /// The band of a value among `levels`: 0 below the first, levels.count above the last;
    /// nil for a value that is not finite.
    static func band(of value: Double, levels: [Double]) -> Int? {
        guard value.isFinite else { return nil }
        return levels.firstIndex { value < $0 } ?? levels.count
    }

    /// `value` rounded to two significant digits (0.0123 → 0.012, 1234 → 1200).
    static func rounded(_ value: Double) -> Double {
        guard value.isFinite, value != 0 else { return value }
        let power = pow(10, (log10(abs(value))).rounded(.down) - 1)
        return (value / power).rounded() * power
    }

    /// The value at row `row`, column `column`.
    func value(row: Int, column: Int) -> Double {
        values[row * columns + column]
    }

    /// The x of a column's centre and the y of a row's centre.
    func xOfColumn(_ column: Double) -> Double {
        x.lowerBound + (column + 0.5) / Double(columns) * (x.upperBound - x.lowerBound)
    }

    func yOfRow(_ row: Double) -> Double {
        y.upperBound - (row + 0.5) / Double(rows) * (y.upperBound - y.lowerBound)
    }

    // MARK: - Contour lines

    /// A piece of a contour line, in grid coordinates (column, row) of the sample centres.
    struct Segment: Equatable, Sendable {
        var from: (column: Double, row: Double)
        var to: (column: Double, row: Double)

        static func == (left: Segment, right: Segment) -> Bool {
            left.from == right.from && left.to == right.to
        }
    }

    /// The pieces of the contour line at `level`, by marching squares over each square of four
    /// neighbouring samples; a square with a value that is not finite has none.
    func contour(at level: Double) -> [Segment] {
        var segments: [Segment] = []
        guard rows > 1, columns > 1 else { return [] }
        for row in 0..<(rows - 1) {
            for column in 0..<(columns - 1) {
                // Corners clockwise from the top left.
                let corners = [(Double(column), Double(row)), (Double(column + 1), Double(row)),
                               (Double(column + 1), Double(row + 1)), (Double(column), Double(row + 1))]
                let heights = [value(row: row, column: column), value(row: row, column: column + 1),
                               value(row: row + 1, column: column + 1), value(row: row + 1, column: column)]
                guard heights.allSatisfy(\.isFinite) else { continue }
                var crossings: [(column: Double, row: Double)] = []
                for edge in 0..<4 {
                    let (a, b) = (heights[edge], heights[(edge + 1) % 4])
                    guard (a < level) != (b < level) else { continue }
                    let share = (level - a) / (b - a)
                    let (start, end) = (corners[edge], corners[(edge + 1) % 4])
                    crossings.append((start.0 + share * (end.0 - start.0), start.1 + share * (end.1 - start.1)))
                }
                if crossings.count == 2 {
                    segments.append(Segment(from: crossings[0], to: crossings[1]))
                } else if crossings.count == 4 {
                    // A saddle square: pair the crossings so that the centre's side stays joined.
                    let centreAbove = heights.reduce(0, +) / 4 >= level
                    let firstAbove = heights[0] >= level
                    if centreAbove == firstAbove {
                        segments += [Segment(from: crossings[0], to: crossings[1]), Segment(from: crossings[2], to: crossings[3])]
                    } else {
                        segments += [Segment(from: crossings[3], to: crossings[0]), Segment(from: crossings[1], to: crossings[2])]
                    }
                }
            }
        }
        return segments
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
