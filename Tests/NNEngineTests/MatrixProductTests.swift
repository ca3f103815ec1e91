import Testing
import NNEngine

@Suite("Matrix product")
struct MatrixProductTests {
    /// op(A): [m, k], op(B): [k, n].
    struct Shape: Sendable, CustomStringConvertible {
        var m: Int, k: Int, n: Int
        var description: String { "\(m)×\(k) · \(k)×\(n)" }
    }

    static let shapes: [Shape] = [
        Shape(m: 1, k: 1, n: 1), Shape(m: 1, k: 5, n: 1), Shape(m: 5, k: 1, n: 4),
        Shape(m: 1, k: 4, n: 6), Shape(m: 6, k: 4, n: 1), Shape(m: 3, k: 7, n: 2),
        Shape(m: 8, k: 5, n: 9), Shape(m: 17, k: 13, n: 11),
    ]

    static let transposeFlags: [(Bool, Bool)] = [(false, false), (true, false), (false, true), (true, true)]

    @Test(arguments: shapes, transposeFlags)
    func fastProductMatchesReference(shape: Shape, flags: (Bool, Bool)) {
        let (transposeA, transposeB) = flags
        var generator = SeededGenerator(seed: UInt64(shape.m * 10_000 + shape.k * 100 + shape.n))
        // Store A and B so that op(A) and op(B) have the shapes asked for.
        let a = transposeA
            ? TestSupport.randomMatrix(rows: shape.k, columns: shape.m, generator: &generator)
            : TestSupport.randomMatrix(rows: shape.m, columns: shape.k, generator: &generator)
        let b = transposeB
            ? TestSupport.randomMatrix(rows: shape.n, columns: shape.k, generator: &generator)
            : TestSupport.randomMatrix(rows: shape.k, columns: shape.n, generator: &generator)
        let fast = Matrix.product(a, b, transposeA: transposeA, transposeB: transposeB)
        let reference = Matrix.referenceProduct(a, b, transposeA: transposeA, transposeB: transposeB)
        #expect(fast.rows == shape.m && fast.columns == shape.n)
        #expect(TestSupport.isClose(fast, reference, relative: 1e-12, absolute: 1e-14))
        #expect(TestSupport.largestMagnitude(reference) > 0)
        // The flags mean the same as materialized transposes.
        let materialized = Matrix.referenceProduct(transposeA ? a.transposed : a, transposeB ? b.transposed : b)
        #expect(materialized == reference)
    }

    @Test func referenceProductByHand() {
        let a = Matrix([[1, 2, 3], [4, 5, 6]])
        let b = Matrix([[7, 8], [9, 10], [11, 12]])
        let expected = Matrix([[58, 64], [139, 154]])
        #expect(Matrix.referenceProduct(a, b) == expected)
        #expect(Matrix.product(a, b) == expected)
        #expect(Matrix.product(b, a, transposeA: true, transposeB: true) == expected.transposed)
    }
}
