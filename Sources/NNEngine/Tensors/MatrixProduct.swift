/// The matrix product, in one place: OpenBLAS or nn's own kernels behind it, a plain loop for tiny products.
///
/// `op(A)` is `A` or `Aᵀ` as the flags say; the product is `op(A) · op(B)`.
/// Transposes are read through index arithmetic, never materialized.
extension Matrix {
    /// `op(a) · op(b)`: op(A): [m, k], op(B): [k, n] -> C: [m, n].
    ///
    /// OpenBLAS's dgemm with transpose flags (or on one thread, where one fits, a kernel of
    /// `ProductKernels`), or for products too small to pay for a BLAS
    /// call (`BLAS.smallProductLimit`) a plain loop that sums each element's k terms in
    /// ascending order, as `referenceProduct` does.
    public static func product(_ a: Matrix, _ b: Matrix, transposeA: Bool = false, transposeB: Bool = false) -> Matrix {
        let shape = productShape(a, b, transposeA: transposeA, transposeB: transposeB)
        var result = Matrix(rows: shape.m, columns: shape.n)
        a.storage.withUnsafeBufferPointer { aBuffer in
            b.storage.withUnsafeBufferPointer { bBuffer in
                result.storage.withUnsafeMutableBufferPointer { cBuffer in
                    guard let aBase = aBuffer.baseAddress, let bBase = bBuffer.baseAddress,
                          let cBase = cBuffer.baseAddress else { return }
                    Double.product(transposeA: transposeA, transposeB: transposeB,
                                   m: shape.m, n: shape.n, k: shape.k,
                                   a: aBase, lda: max(1, a.columns), b: bBase, ldb: max(1, b.columns),
                                   c: cBase, ldc: max(1, shape.n), usesKernels: ProductKernels.isAvailable)
                }
            }
        }
        return result
    }

    /// `a · b` a tile of the result at a time, each tile about `tileWork` multiply-adds (square,
    /// at least 64 on a side), with `poll` asked before each tile so that a long product can
    /// stop; nil when it stopped. `onTile` is told how many tiles are done and how many there are,
    /// before the first and after each. A product of at most `tileWork` is one call of `product`, not asked. Each tile
    /// is an OpenBLAS (or kernel) call on the operands in place, with their leading dimensions.
    public static func product(_ a: Matrix, _ b: Matrix, tileWork: Int = 1 << 30, poll: StopPoll,
                               onTile: (_ done: Int, _ of: Int) -> Void = { _, _ in }) -> Matrix? {
        let (m, k, n) = productShape(a, b, transposeA: false, transposeB: false)
        let work = m.multipliedReportingOverflow(by: n).partialValue.multipliedReportingOverflow(by: k)
        if !work.overflow, work.partialValue <= tileWork { return product(a, b) }  // a fraction of a second
        let side = max(64, Int((Double(tileWork) / Double(max(1, k))).squareRoot()))
        let (rowTiles, columnTiles) = ((m + side - 1) / side, (n + side - 1) / side)
        onTile(0, rowTiles * columnTiles)
        var result = Matrix(rows: m, columns: n)
        var stopped = false
        a.storage.withUnsafeBufferPointer { aBuffer in
            b.storage.withUnsafeBufferPointer { bBuffer in
                result.storage.withUnsafeMutableBufferPointer { cBuffer in
                    guard let aBase = aBuffer.baseAddress, let bBase = bBuffer.baseAddress,
                          let cBase = cBuffer.baseAddress else { return }
                    for rowTile in 0..<rowTiles {
                        for columnTile in 0..<columnTiles {
                            if poll.shouldStop() { stopped = true; return }
                            let (i, j) = (rowTile * side, columnTile * side)
                            Double.product(transposeA: false, transposeB: false,
                                           m: min(side, m - i), n: min(side, n - j), k: k,
                                           a: aBase + i * k, lda: max(1, k), b: bBase + j, ldb: max(1, n),
                                           c: cBase + i * n + j, ldc: max(1, n), usesKernels: ProductKernels.isAvailable)
                            onTile(rowTile * columnTiles + columnTile + 1, rowTiles * columnTiles)
                        }
                    }
                }
            }
        }
        return stopped ? nil : result
    }

    /// `op(a) · op(b)` by the textbook triple loop: the slow, obviously right version tests compare against.
    public static func referenceProduct(_ a: Matrix, _ b: Matrix, transposeA: Bool = false, transposeB: Bool = false) -> Matrix {
        let shape = productShape(a, b, transposeA: transposeA, transposeB: transposeB)
        var result = Matrix(rows: shape.m, columns: shape.n)
        for i in 0..<shape.m {
            for j in 0..<shape.n {
                var sum = 0.0
                for p in 0..<shape.k {
                    let aValue = transposeA ? a[p, i] : a[i, p]
                    let bValue = transposeB ? b[j, p] : b[p, j]
                    sum += aValue * bValue
                }
                result[i, j] = sum
            }
        }
        return result
    }

    /// The dimensions `m, k, n` of `op(a) · op(b)`, checking that the inner ones agree.
    private static func productShape(_ a: Matrix, _ b: Matrix, transposeA: Bool, transposeB: Bool) -> (m: Int, k: Int, n: Int) {
        let (m, k) = transposeA ? (a.columns, a.rows) : (a.rows, a.columns)
        let (bInner, n) = transposeB ? (b.columns, b.rows) : (b.rows, b.columns)
        precondition(k == bInner, "inner dimensions of the product differ: \(k) and \(bInner)")
        return (m, k, n)
    }
}
