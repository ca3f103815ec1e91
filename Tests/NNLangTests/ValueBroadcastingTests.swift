import Foundation
import NNEngine
import Testing
@testable import NNLang

/// The elementwise loops of `Value.apply` against the plain scalar formula, element by element:
/// every operator, every shape pair that broadcasts, lengths that are no multiple of a vector
/// register, NaN and infinities passing through, and the overflow and domain checks that the
/// loops' finiteness flags now make. Then the one-pass builtins (exp, sigmoid, sum, mean)
/// against their scalar functions.
@Suite("Value broadcasting")
struct ValueBroadcastingTests {
    static let operators: [BinaryOperator] = [.add, .subtract, .multiply, .divide, .power, .equal, .notEqual,
                                              .less, .lessEqual, .greater, .greaterEqual, .and, .or]

    /// The formula of each operator on one pair of numbers, written out plainly.
    static func formula(_ operation: BinaryOperator, _ x: Double, _ y: Double) -> Double {
        switch operation {
        case .add: return x + y
        case .subtract: return x - y
        case .multiply: return x * y
        case .divide: return x / y
        case .power: return pow(x, y)
        case .equal: return x == y ? 1 : 0
        case .notEqual: return x != y ? 1 : 0
        case .less: return x < y ? 1 : 0
        case .lessEqual: return x <= y ? 1 : 0
        case .greater: return x > y ? 1 : 0
        case .greaterEqual: return x >= y ? 1 : 0
        case .and: return x != 0 && y != 0 ? 1 : 0
        case .or: return x != 0 || y != 0 ? 1 : 0
        case .matrixProduct: return .nan
        }
    }

    /// Element (row, column) of a value as broadcasting reads it: a scalar everywhere, a vector
    /// along each row.
    static func element(_ value: Value, row: Int, column: Int) -> Double {
        switch value {
        case .scalar(let x): return x
        case .vector(let elements): return elements[column]
        case .matrix(let matrix): return matrix[row, column]
        case .text: return .nan
        }
    }

    /// Numbers in (0.5, 3.5), never 0, some equal to each other, so that every operator
    /// (comparisons, powers with fractional exponents, division) has something to do.
    static func numbers(_ count: Int, seed: Int) -> [Double] {
        (0..<count).map { i in 0.5 + Double((i * 37 + seed * 11) % 13) / 4 }
    }

    /// Shape pairs: sizes of 1, 37 and 10,001 columns, so the loops' remainders are exercised.
    static func pairs(columns: Int, rows: Int) -> [(Value, Value)] {
        let scalar = Value.scalar(1.75)
        let vector = Value.vector(numbers(columns, seed: 1))
        let other = Value.vector(numbers(columns, seed: 2))
        let matrix = Value.matrix(Matrix(rows: rows, columns: columns, storage: numbers(rows * columns, seed: 3)))
        let otherMatrix = Value.matrix(Matrix(rows: rows, columns: columns, storage: numbers(rows * columns, seed: 4)))
        return [(scalar, .scalar(0.75)), (scalar, vector), (vector, scalar), (scalar, matrix), (matrix, scalar),
                (vector, other), (matrix, otherMatrix), (matrix, vector), (vector, matrix)]
    }

    static func expected(_ operation: BinaryOperator, _ left: Value, _ right: Value) -> Value {
        let shapeOf: Value = [left, right].first { if case .matrix = $0 { return true } else { return false } }
            ?? [left, right].first { if case .vector = $0 { return true } else { return false } } ?? left
        switch shapeOf {
        case .matrix(let matrix):
            var result = Matrix(rows: matrix.rows, columns: matrix.columns)
            for r in 0..<matrix.rows {
                for c in 0..<matrix.columns {
                    result[r, c] = formula(operation, element(left, row: r, column: c), element(right, row: r, column: c))
                }
            }
            return .matrix(result)
        case .vector(let elements):
            return .vector((0..<elements.count).map { formula(operation, element(left, row: 0, column: $0), element(right, row: 0, column: $0)) })
        default:
            return .scalar(formula(operation, element(left, row: 0, column: 0), element(right, row: 0, column: 0)))
        }
    }

    /// Equal to the last bit, NaN matching NaN.
    static func same(_ a: Value, _ b: Value) -> Bool {
        a.shapeDescription == b.shapeDescription
            && zip(a.elements, b.elements).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }
    }

    static let sizes: [(columns: Int, rows: Int)] = [(1, 1), (37, 5), (10_001, 3)]

    @Test(arguments: operators, sizes.indices)
    func everyOperatorAndShapeIsTheScalarFormula(_ operation: BinaryOperator, size: Int) throws {
        for (left, right) in Self.pairs(columns: Self.sizes[size].columns, rows: Self.sizes[size].rows) {
            let result = try Value.apply(operation, left, right)
            #expect(Self.same(result, Self.expected(operation, left, right)),
                    "\(left.shapeDescription) \(operation) \(right.shapeDescription)")
        }
    }

    /// NaN and ±∞ in an operand pass through as the formula gives them, with no error: the
    /// overflow check is only for finite operands.
    @Test(arguments: operators)
    func nanAndInfinityPassThrough(_ operation: BinaryOperator) throws {
        let special: [Double] = [.nan, 1, .infinity, -.infinity, 2, 0.5, -3, .nan, 4]
        let vector = Value.vector(special)
        let matrix = Value.matrix(Matrix(rows: 2, columns: 9, storage: special + special.reversed()))
        let pairs: [(Value, Value)] = [(vector, .scalar(2)), (.scalar(-2), vector), (vector, .vector(special.reversed())),
                                       (matrix, vector), (vector, matrix), (matrix, matrix), (.scalar(.nan), .scalar(1))]
        for (left, right) in pairs where !(operation == .divide && right.elements.contains(0)) {
            let result = try Value.apply(operation, left, right)
            #expect(Self.same(result, Self.expected(operation, left, right)), "\(left) \(operation) \(right)")
        }
    }

    /// Finite operands whose result is not finite are an overflow wherever the infinity lands,
    /// in every shape pair; with an infinite operand anywhere they are not.
    @Test func overflowIsFoundInEveryShape() throws {
        let big = Matrix(rows: 2, columns: 19, storage: (0..<38).map { $0 == 37 ? 1.7e308 : Double($0) })
        let row = (0..<19).map { $0 == 18 ? 1e308 : 1.0 }
        let overflowing: [(Value, Value)] = [(.matrix(big), .scalar(1e308)), (.scalar(1e308), .matrix(big)), (.matrix(big), .matrix(big)),
                                             (.matrix(big), .vector(row)), (.vector(row), .matrix(big)), (.vector(row), .vector(row))]
        for (left, right) in overflowing {
            #expect(throws: Problem.overflow(operation: "addition")) { try Value.apply(.add, left, right) }
            #expect(throws: Problem.overflow(operation: "multiplication")) { try Value.apply(.multiply, left, right) }
        }
        var withInfinity = row
        withInfinity[3] = -.infinity
        let sum = try Value.apply(.add, .vector(withInfinity), .vector(row))
        #expect(sum.elements[3] == -.infinity && sum.elements[18] == .infinity)
        #expect(try Value.apply(.multiply, .matrix(big), .scalar(.infinity)).elements[5] == .infinity)
    }

    @Test func negativeBaseToAFractionalPowerIsADomainErrorOnlyForFiniteOperands() throws {
        let bases = Value.vector([4, 9, -8, 16, 1, 2, 3, 5, 7])
        #expect(throws: Problem.domainError(function: "^", value: "a negative number", reason: "a negative number to a fractional power is not a real number")) {
            try Value.apply(.power, bases, .scalar(0.5))
        }
        let withNaN = try Value.apply(.power, .vector([4, .nan, -8]), .scalar(0.5))
        #expect(withNaN.elements[0] == 2 && withNaN.elements[1].isNaN && withNaN.elements[2].isNaN)
    }

    // MARK: - Builtins in one pass

    static let arguments: [Value] = [
        .scalar(0.7),
        .vector([-800, -745.2, -708.5, -1, -1e-300, 0, 1e-300, 0.3775, 1, 36, 709.7, .nan, -.infinity]),
        .matrix(Matrix(rows: 3, columns: 7, storage: (0..<21).map { Double($0 - 10) * 0.37 })),
    ]

    @Test(arguments: arguments)
    func expAndSigmoidAreTheScalarFunctionsToAnUlpOrTwo(_ argument: Value) throws {
        let exponential = try Builtins.apply("exp", to: argument)
        let sigmoid = try Builtins.apply("sigmoid", to: argument)
        #expect(exponential.shapeDescription == argument.shapeDescription && sigmoid.shapeDescription == argument.shapeDescription)
        for (x, (e, s)) in zip(argument.elements, zip(exponential.elements, sigmoid.elements)) {
            #expect(Self.ulps(e, exp(x)) <= 1, "exp(\(x)) = \(e)")
            #expect(Self.ulps(s, Activation.sigmoid.value(x)) <= 2, "sigmoid(\(x)) = \(s)")
        }
    }

    @Test func expOverflowIsAnErrorOnlyForFiniteArguments() throws {
        #expect(throws: Problem.overflow(operation: "exp")) { try Builtins.apply("exp", to: .vector([1, 2, 710])) }
        #expect(throws: Problem.overflow(operation: "exp")) { try Builtins.apply("exp", to: .scalar(710)) }
        #expect(try Builtins.apply("exp", to: .vector([1, .infinity])).elements[1] == .infinity)
    }

    @Test func sumAndMeanAddPairwise() throws {
        let elements = (1...1000).map { 1 / Double($0) }
        let sum = try Builtins.apply("sum", to: .vector(elements))
        let mean = try Builtins.apply("mean", to: .matrix(Matrix(rows: 10, columns: 100, storage: elements)))
        #expect(sum == .scalar(VectorMath.sum(elements)))
        #expect(mean == .scalar(VectorMath.sum(elements) / 1000))
        // The harmonic number H₁₀₀₀, to within a few ulps.
        #expect(abs(sum.elements[0] - 7.485470860550344912656518) < 4e-15)
        #expect(try Builtins.apply("sum", to: .vector([0.1, 0.2, 0.3])) == .scalar(0.1 + 0.2 + 0.3))
    }

    static func ulps(_ x: Double, _ y: Double) -> UInt64 {
        if x.isNaN && y.isNaN { return 0 }
        if x.isNaN || y.isNaN { return .max }
        func ordered(_ v: Double) -> Int64 {
            let bits = Int64(bitPattern: v.bitPattern)
            return bits < 0 ? Int64.min - bits : bits
        }
        return ordered(x) > ordered(y) ? UInt64(ordered(x) - ordered(y)) : UInt64(ordered(y) - ordered(x))
    }
}
