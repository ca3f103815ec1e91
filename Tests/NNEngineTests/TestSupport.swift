import NNEngine

/// Helpers shared by the engine tests: random data and finite differences.
enum TestSupport {
    /// A matrix with elements uniform in [lo, hi).
    static func randomMatrix(rows: Int, columns: Int, _ lo: Double = -1, _ hi: Double = 1,
                             generator: inout SeededGenerator) -> Matrix {
        var result = Matrix(rows: rows, columns: columns)
        for i in 0..<result.count { result.storage[i] = generator.nextUniform(lo, hi) }
        return result
    }

    /// Rows that are probability distributions: positive, each summing to 1.
    static func randomDistributions(rows: Int, columns: Int, generator: inout SeededGenerator) -> Matrix {
        var result = randomMatrix(rows: rows, columns: columns, 0.05, 1, generator: &generator)
        for r in 0..<rows {
            let total = result.row(r).reduce(0, +)
            for c in 0..<columns { result[r, c] /= total }
        }
        return result
    }

    /// One-hot rows: a single 1 per row, at a random column.
    static func randomOneHot(rows: Int, columns: Int, generator: inout SeededGenerator) -> Matrix {
        var result = Matrix(rows: rows, columns: columns)
        for r in 0..<rows {
            let hot = min(Int(generator.nextDouble() * Double(columns)), columns - 1)
            result[r, hot] = 1
        }
        return result
    }

    /// The central difference (f(x + h) − f(x − h)) / 2h.
    static func centralDifference(at x: Double, step h: Double = 1e-5, _ f: (Double) -> Double) -> Double {
        (f(x + h) - f(x - h)) / (2 * h)
    }

    /// The central difference of `f` with respect to every element of `m`, as a matrix of the same shape.
    static func centralDifferences(of m: Matrix, step h: Double = 1e-5, _ f: (Matrix) -> Double) -> Matrix {
        var result = Matrix(rows: m.rows, columns: m.columns)
        for i in 0..<m.count {
            result.storage[i] = centralDifference(at: m.storage[i], step: h) { x in
                var moved = m
                moved.storage[i] = x
                return f(moved)
            }
        }
        return result
    }

    /// Whether `a` and `b` agree to a relative tolerance, with an absolute floor for values near zero
    /// where finite differences only reach round-off.
    static func isClose(_ a: Double, _ b: Double, relative: Double = 1e-6, absolute: Double = 1e-9) -> Bool {
        abs(a - b) <= relative * max(abs(a), abs(b)) + absolute
    }

    /// Whether every pair of elements `isClose`.
    static func isClose(_ a: Matrix, _ b: Matrix, relative: Double = 1e-6, absolute: Double = 1e-9) -> Bool {
        a.rows == b.rows && a.columns == b.columns
            && zip(a.storage, b.storage).allSatisfy { isClose($0, $1, relative: relative, absolute: absolute) }
    }

    /// The largest absolute element, for guards against checks that pass because everything is zero.
    static func largestMagnitude(_ m: Matrix) -> Double {
        m.storage.map(abs).max() ?? 0
    }
}
