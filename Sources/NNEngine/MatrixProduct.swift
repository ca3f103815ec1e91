/// The matrix product, in one place so a BLAS call can later replace the loop behind it.
///
/// `op(A)` is `A` or `Aᵀ` as the flags say; the product is `op(A) · op(B)`.
/// Transposes are read through index arithmetic, never materialized.
extension Matrix {
    /// `op(a) · op(b)`: op(A): [m, k], op(B): [k, n] -> C: [m, n].
    ///
    /// Loops i-k-j so the innermost loop walks a row of `b` and a row of the result
    /// contiguously; when `b` is transposed it is the dot product of two rows instead.
    /// Every element still sums its k terms in ascending order, as `referenceProduct` does.
    public static func product(_ a: Matrix, _ b: Matrix, transposeA: Bool = false, transposeB: Bool = false) -> Matrix {
        let shape = productShape(a, b, transposeA: transposeA, transposeB: transposeB)
        let (m, k, n) = (shape.m, shape.k, shape.n)
        var result = Matrix(rows: m, columns: n)
        // Strides that read op(A)[i, p] at i * aRowStride + p * aInnerStride, and likewise for B.
        let aRowStride = transposeA ? 1 : a.columns
        let aInnerStride = transposeA ? a.columns : 1
        a.storage.withUnsafeBufferPointer { aBuffer in
            b.storage.withUnsafeBufferPointer { bBuffer in
                result.storage.withUnsafeMutableBufferPointer { cBuffer in
                    if transposeB {
                        // op(B)[p, j] = b[j, p]: row j of b is contiguous in p.
                        for i in 0..<m {
                            for j in 0..<n {
                                var sum = 0.0
                                let bRow = j * b.columns
                                for p in 0..<k {
                                    sum += aBuffer[i * aRowStride + p * aInnerStride] * bBuffer[bRow + p]
                                }
                                cBuffer[i * n + j] = sum
                            }
                        }
                    } else {
                        for i in 0..<m {
                            let cRow = i * n
                            for p in 0..<k {
                                let aValue = aBuffer[i * aRowStride + p * aInnerStride]
                                let bRow = p * n
                                for j in 0..<n {
                                    cBuffer[cRow + j] += aValue * bBuffer[bRow + j]
                                }
                            }
                        }
                    }
                }
            }
        }
        return result
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
