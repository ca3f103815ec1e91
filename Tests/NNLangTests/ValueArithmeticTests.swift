import NNEngine
import Testing
@testable import NNLang

@Suite("Value arithmetic")
struct ValueArithmeticTests {
    static let m22 = Value.matrix(Matrix([[1, 2], [3, 4]]))
    static let m23 = Value.matrix(Matrix([[1, 2, 3], [4, 5, 6]]))

    static let resultCases: [(operation: BinaryOperator, left: Value, right: Value, result: Value)] = [
        (.add, .scalar(1), .scalar(2), .scalar(3)),
        (.subtract, .scalar(1), .scalar(2), .scalar(-1)),
        (.multiply, .scalar(3), .scalar(-2), .scalar(-6)),
        (.divide, .scalar(1), .scalar(4), .scalar(0.25)),
        // A scalar goes with anything, on either side.
        (.multiply, .scalar(2), .vector([1, 2]), .vector([2, 4])),
        (.subtract, .vector([1, 2]), .scalar(1), .vector([0, 1])),
        (.subtract, .scalar(1), .vector([1, 2]), .vector([0, -1])),
        (.divide, .scalar(1), m22, .matrix(Matrix([[1, 0.5], [1.0 / 3.0, 0.25]]))),
        (.add, m22, .scalar(10), .matrix(Matrix([[11, 12], [13, 14]]))),
        // Same shapes, elementwise.
        (.add, .vector([1, 2]), .vector([10, 20]), .vector([11, 22])),
        (.multiply, .vector([1, 2]), .vector([3, 4]), .vector([3, 8])),
        (.multiply, m22, m22, .matrix(Matrix([[1, 4], [9, 16]]))),
        (.divide, m22, m22, .matrix(Matrix([[1, 1], [1, 1]]))),
        // A row vector goes with every row of a matrix of as many columns.
        (.add, m23, .vector([10, 20, 30]), .matrix(Matrix([[11, 22, 33], [14, 25, 36]]))),
        (.subtract, .vector([10, 20, 30]), m23, .matrix(Matrix([[9, 18, 27], [6, 15, 24]]))),
        (.divide, m23, .vector([1, 2, 3]), .matrix(Matrix([[1, 1, 1], [4, 2.5, 2]]))),
        // The matrix product, numpy style.
        (.matrixProduct, .vector([1, 2]), m23, .vector([9, 12, 15])),
        (.matrixProduct, m23, .vector([1, 0, -1]), .vector([-2, -2])),
        (.matrixProduct, .vector([1, 2, 3]), .vector([4, 5, 6]), .scalar(32)),
        (.matrixProduct, m22, m23, .matrix(Matrix([[9, 12, 15], [19, 26, 33]]))),
        (.matrixProduct, .matrix(Matrix([[1], [2]])), .matrix(Matrix([[3, 4]])), .matrix(Matrix([[3, 4], [6, 8]]))),
    ]

    @Test(arguments: resultCases)
    func results(_ testCase: (operation: BinaryOperator, left: Value, right: Value, result: Value)) throws {
        #expect(try Value.apply(testCase.operation, testCase.left, testCase.right) == testCase.result)
    }

    static let errorCases: [(operation: BinaryOperator, left: Value, right: Value, message: String)] = [
        (.add, .vector([1, 2]), .vector([1, 2, 3]), "cannot add a vector of 2 and a vector of 3"),
        (.subtract, m22, m23, "cannot subtract a 2×2 matrix and a 2×3 matrix"),
        (.multiply, m22, .vector([1, 2, 3]), "cannot multiply elementwise a 2×2 matrix and a vector of 3"),
        (.divide, .vector([1, 2, 3]), m22, "cannot divide elementwise a vector of 3 and a 2×2 matrix"),
        // A column count that matches the rows instead does not broadcast.
        (.add, m23, .vector([1, 2]), "cannot add a 2×3 matrix and a vector of 2"),
        (.divide, .scalar(1), .scalar(0), "division by zero"),
        (.divide, .vector([1, 2]), .vector([1, 0]), "division by zero"),
        (.divide, m22, .scalar(-0.0), "division by zero"),
        (.multiply, .scalar(1e308), .scalar(10), "multiplication overflowed to infinity"),
        (.add, .vector([1e308, 0]), .vector([1e308, 0]), "addition overflowed to infinity"),
        (.divide, .scalar(1e308), .scalar(1e-308), "division overflowed to infinity"),
        (.add, .text("a"), .scalar(1), "expected a number, vector or matrix, got a string"),
        (.multiply, .scalar(1), .text("a"), "expected a number, vector or matrix, got a string"),
        (.matrixProduct, .scalar(2), .vector([1, 2]), "expected vectors or matrices on both sides of '@', got a scalar and a vector of 2"),
        (.matrixProduct, m22, .scalar(2), "expected vectors or matrices on both sides of '@', got a 2×2 matrix and a scalar"),
        (.matrixProduct, .vector([1, 2]), .vector([1, 2, 3]), "cannot multiply a vector of 2 by a vector of 3: inner sizes differ"),
        (.matrixProduct, m23, m23, "cannot multiply a 2×3 matrix by a 2×3 matrix: inner sizes differ"),
        (.matrixProduct, .vector([1, 2, 3]), m23, "cannot multiply a vector of 3 by a 2×3 matrix: inner sizes differ"),
    ]

    @Test(arguments: errorCases)
    func errors(_ testCase: (operation: BinaryOperator, left: Value, right: Value, message: String)) {
        #expect(throws: Problem.self) { try Value.apply(testCase.operation, testCase.left, testCase.right) }
        do {
            _ = try Value.apply(testCase.operation, testCase.left, testCase.right)
        } catch {
            #expect(error.message == testCase.message)
        }
    }

    @Test func infinityInIsNotAnOverflow() throws {
        #expect(try Value.apply(.add, .scalar(.infinity), .scalar(1)) == .scalar(.infinity))
    }

    static let elementCases: [(value: Value, indices: [Int], element: Double)] = [
        (.vector([10, 20, 30]), [1], 10),
        (.vector([10, 20, 30]), [3], 30),
        (m23, [1, 1], 1),
        (m23, [1, 3], 3),
        (m23, [2, 1], 4),
        (m23, [2, 3], 6),
    ]

    @Test(arguments: elementCases)
    func elementsAreOneBased(_ testCase: (value: Value, indices: [Int], element: Double)) throws {
        #expect(try testCase.value.element(at: testCase.indices, name: "v") == testCase.element)
        let replaced = try testCase.value.replacingElement(at: testCase.indices, with: -1, name: "v")
        #expect(try replaced.element(at: testCase.indices, name: "v") == -1)
        #expect(replaced.elements.filter { $0 == -1 }.count == 1)
        #expect(replaced.shapeDescription == testCase.value.shapeDescription)
    }

    static let indexErrorCases: [(value: Value, indices: [Int], message: String)] = [
        (.vector([10, 20]), [3], "index [3] is out of range for v, a vector of 2"),
        (.vector([10, 20]), [0], "index [0] is out of range for v, a vector of 2"),
        (m23, [3, 1], "index [3,1] is out of range for v, a 2×3 matrix"),
        (m23, [1, 4], "index [1,4] is out of range for v, a 2×3 matrix"),
        (m23, [1], "v takes 2 indices, got 1"),
        (m23, [1, 1, 1], "v takes 2 indices, got 3"),
        (.vector([10, 20]), [1, 1], "v takes 1 index, got 2"),
        (.scalar(5), [1], "expected a vector or matrix to index, got a scalar"),
    ]

    @Test(arguments: indexErrorCases)
    func indexErrors(_ testCase: (value: Value, indices: [Int], message: String)) {
        do {
            _ = try testCase.value.element(at: testCase.indices, name: "v")
            Issue.record("no error for \(testCase.indices)")
        } catch {
            #expect(error.message == testCase.message)
        }
        do {
            _ = try testCase.value.replacingElement(at: testCase.indices, with: 0, name: "v")
            Issue.record("no error replacing \(testCase.indices)")
        } catch {
            #expect(error.message == testCase.message)
        }
    }
}
