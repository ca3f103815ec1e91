/// A dense, row-major matrix of `Double`s: the one value type the engine computes with.
///
/// A batch of samples is a matrix with one sample per row, so `rows` is the batch size
/// and `columns` the number of features (or units) per sample.
public struct Matrix: Equatable, Sendable, CustomStringConvertible {
    /// The elements, row after row: element `(r, c)` lives at `r * columns + c`.
    ///
    /// Writable so hot loops can work on the buffer directly; keep `count` elements.
    public var storage: [Double]
    public let rows: Int
    public let columns: Int

    // MARK: - Creating matrices

    /// A `rows × columns` matrix with every element set to `repeating`.
    public init(rows: Int, columns: Int, repeating: Double = 0) {
        precondition(rows >= 0 && columns >= 0, "matrix dimensions must not be negative")
        self.rows = rows
        self.columns = columns
        self.storage = Array(repeating: repeating, count: rows * columns)
    }

    /// A `rows × columns` matrix over row-major `storage`.
    public init(rows: Int, columns: Int, storage: [Double]) {
        precondition(rows >= 0 && columns >= 0, "matrix dimensions must not be negative")
        precondition(storage.count == rows * columns, "storage holds \(storage.count) elements, not \(rows)×\(columns)")
        self.rows = rows
        self.columns = columns
        self.storage = storage
    }

    /// A matrix from its rows; they must all have the same length and there must be at least one.
    public init(_ rowArrays: [[Double]]) {
        precondition(!rowArrays.isEmpty, "a matrix needs at least one row")
        let columns = rowArrays[0].count
        precondition(rowArrays.allSatisfy { $0.count == columns }, "rows of a matrix must all have the same length")
        self.init(rows: rowArrays.count, columns: columns, storage: rowArrays.flatMap { $0 })
    }

    /// A 1×n matrix: one sample.
    public init(row: [Double]) {
        self.init(rows: 1, columns: row.count, storage: row)
    }

    /// An n×1 matrix: n samples of one feature each.
    public init(column: [Double]) {
        self.init(rows: column.count, columns: 1, storage: column)
    }

    // MARK: - Elements

    /// The number of elements, `rows * columns`.
    public var count: Int { rows * columns }

    /// The element at a 0-based `(row, column)`.
    public subscript(row: Int, column: Int) -> Double {
        get {
            precondition(isValid(row: row, column: column), "index (\(row), \(column)) outside a \(rows)×\(columns) matrix")
            return storage[row * columns + column]
        }
        set {
            precondition(isValid(row: row, column: column), "index (\(row), \(column)) outside a \(rows)×\(columns) matrix")
            storage[row * columns + column] = newValue
        }
    }

    private func isValid(row: Int, column: Int) -> Bool {
        row >= 0 && row < rows && column >= 0 && column < columns
    }

    /// The elements of the 0-based row `i`.
    public func row(_ i: Int) -> [Double] {
        precondition(i >= 0 && i < rows, "row \(i) outside a matrix with \(rows) rows")
        return Array(storage[(i * columns)..<((i + 1) * columns)])
    }

    /// The matrix as an array of rows.
    public var rowArrays: [[Double]] {
        (0..<rows).map(row)
    }

    /// Whether no element is NaN or infinite.
    public var isFinite: Bool {
        storage.allSatisfy(\.isFinite)
    }

    /// A contiguous block of rows, e.g. one mini-batch of a data set.
    public func rows(_ range: Range<Int>) -> Matrix {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows, "rows \(range) outside a matrix with \(rows) rows")
        return Matrix(
            rows: range.count,
            columns: columns,
            storage: Array(storage[(range.lowerBound * columns)..<(range.upperBound * columns)])
        )
    }

    // MARK: - Reshaping and mapping

    /// The transpose, materialized; products take transpose flags instead of calling this.
    public var transposed: Matrix {
        var result = Matrix(rows: columns, columns: rows)
        for r in 0..<rows {
            for c in 0..<columns {
                result.storage[c * rows + r] = storage[r * columns + c]
            }
        }
        return result
    }

    /// `f` applied to every element.
    public func map(_ f: (Double) -> Double) -> Matrix {
        Matrix(rows: rows, columns: columns, storage: storage.map(f))
    }

    /// `f` applied to corresponding elements of two matrices of the same shape.
    public func zipMap(_ other: Matrix, _ f: (Double, Double) -> Double) -> Matrix {
        precondition(rows == other.rows && columns == other.columns, "shapes \(rows)×\(columns) and \(other.rows)×\(other.columns) differ")
        return Matrix(rows: rows, columns: columns, storage: zip(storage, other.storage).map(f))
    }

    // MARK: - Reductions and broadcasting

    /// `v` added to every row (the bias of a layer added to every sample).
    public func addingRowVector(_ v: [Double]) -> Matrix {
        precondition(v.count == columns, "row vector has \(v.count) elements, matrix has \(columns) columns")
        var result = self
        for r in 0..<rows {
            for c in 0..<columns {
                result.storage[r * columns + c] += v[c]
            }
        }
        return result
    }

    /// The sum of each column over all rows (a bias gradient summed over the batch).
    public func columnSums() -> [Double] {
        var sums = Array(repeating: 0.0, count: columns)
        for r in 0..<rows {
            for c in 0..<columns {
                sums[c] += storage[r * columns + c]
            }
        }
        return sums
    }

    /// The sum of all elements.
    public func sum() -> Double {
        storage.reduce(0, +)
    }

    // MARK: - Description

    /// The rows in brackets, e.g. `[[1.0, 2.0], [3.0, 4.0]]`.
    public var description: String {
        "[" + rowArrays.map { "[" + $0.map { "\($0)" }.joined(separator: ", ") + "]" }.joined(separator: ", ") + "]"
    }
}
