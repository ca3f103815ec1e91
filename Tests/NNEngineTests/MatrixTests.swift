import Testing
import NNEngine

@Suite("Matrix")
struct MatrixTests {
    let m = Matrix([[1, 2, 3], [4, 5, 6]])

    @Test func initializersAgreeOnLayout() {
        #expect(m.rows == 2 && m.columns == 3 && m.count == 6)
        #expect(m.storage == [1, 2, 3, 4, 5, 6])
        #expect(Matrix(rows: 2, columns: 3, storage: [1, 2, 3, 4, 5, 6]) == m)
        #expect(Matrix(rows: 2, columns: 2, repeating: 7).storage == [7, 7, 7, 7])
        #expect(Matrix(rows: 1, columns: 2).storage == [0, 0])
        #expect(Matrix(row: [1, 2, 3]) == Matrix([[1, 2, 3]]))
        #expect(Matrix(column: [1, 2, 3]) == Matrix([[1], [2], [3]]))
    }

    @Test func elementsAreRowMajorAndZeroBased() {
        #expect(m[0, 2] == 3)
        #expect(m[1, 0] == 4)
        var copy = m
        copy[1, 2] = 60
        #expect(copy.storage == [1, 2, 3, 4, 5, 60])
        #expect(m.row(1) == [4, 5, 6])
        #expect(m.rowArrays == [[1, 2, 3], [4, 5, 6]])
    }

    @Test func rowBlocksForMiniBatches() {
        let tall = Matrix([[1], [2], [3], [4], [5]])
        #expect(tall.rows(1..<3) == Matrix([[2], [3]]))
        #expect(tall.rows(4..<5) == Matrix([[5]]))
        #expect(tall.rows(0..<0).rows == 0)
    }

    @Test func transposeSwapsRowsAndColumns() {
        #expect(m.transposed == Matrix([[1, 4], [2, 5], [3, 6]]))
        #expect(m.transposed.transposed == m)
    }

    @Test func elementwiseArithmetic() {
        let other = Matrix([[6, 5, 4], [3, 2, 1]])
        #expect(m + other == Matrix(rows: 2, columns: 3, repeating: 7))
        #expect(m - other == Matrix([[-5, -3, -1], [1, 3, 5]]))
        #expect(m * other == Matrix([[6, 10, 12], [12, 10, 6]]))
        #expect(m / Matrix(rows: 2, columns: 3, repeating: 2) == Matrix([[0.5, 1, 1.5], [2, 2.5, 3]]))
        #expect(m + 1 == Matrix([[2, 3, 4], [5, 6, 7]]))
        #expect(1 + m == m + 1)
        #expect(m - 1 == Matrix([[0, 1, 2], [3, 4, 5]]))
        #expect(10 - m == Matrix([[9, 8, 7], [6, 5, 4]]))
        #expect(m * 2 == 2 * m)
        #expect(m * 2 == Matrix([[2, 4, 6], [8, 10, 12]]))
        #expect(m / 2 == Matrix([[0.5, 1, 1.5], [2, 2.5, 3]]))
        #expect(12 / Matrix([[1, 2, 3]]) == Matrix([[12, 6, 4]]))
        #expect(-m == Matrix([[-1, -2, -3], [-4, -5, -6]]))
        #expect(m.map { $0 * $0 } == Matrix([[1, 4, 9], [16, 25, 36]]))
        #expect(m.zipMap(other, max) == Matrix([[6, 5, 4], [4, 5, 6]]))
    }

    @Test func broadcastingAndReductions() {
        #expect(m.addingRowVector([10, 20, 30]) == Matrix([[11, 22, 33], [14, 25, 36]]))
        #expect(m.columnSums() == [5, 7, 9])
        #expect(m.sum() == 21)
    }

    @Test func finiteness() {
        #expect(m.isFinite)
        var broken = m
        broken[0, 1] = .nan
        #expect(!broken.isFinite)
        broken[0, 1] = -.infinity
        #expect(!broken.isFinite)
    }

    @Test func descriptionListsRows() {
        #expect(Matrix([[1, 2], [3, 4.5]]).description == "[[1.0, 2.0], [3.0, 4.5]]")
    }
}
