import NNEngine

/// Joining values and asking their shape: `hcat`, `vcat`, `rows`, `cols`.
extension Builtins {
    static let shapeFunctions: [BuiltinFunction] = [
        BuiltinFunction("hcat(A, B, …)", "side by side: the columns of A, then of B (a vector is a column)", arity: 2...64),
        BuiltinFunction("vcat(A, B, …)", "one above the other: the rows of A, then of B (a vector is a row)", arity: 2...64),
        BuiltinFunction("rows(A)", "the number of rows (1 for a vector: one sample)"),
        BuiltinFunction("cols(A)", "the number of columns (a vector's length)"),
    ]

    /// A value as a matrix for joining: a vector is a column side by side, a row one above another.
    private static func joinOperand(_ value: Value, horizontal: Bool) throws(Problem) -> Matrix {
        switch value {
        case .matrix(let matrix): return matrix
        case .vector(let elements): return horizontal ? Matrix(column: elements) : Matrix(row: elements)
        case .scalar, .text:
            throw Problem.expectedValue(what: "vectors or matrices to \(horizontal ? "hcat" : "vcat")", got: value.shapeDescription)
        }
    }

    /// `hcat` (horizontal) or `vcat` of values whose rows (or columns) agree.
    static func join(_ values: [Value], horizontal: Bool) throws(Problem) -> Value {
        var parts: [Matrix] = []
        for value in values { parts.append(try joinOperand(value, horizontal: horizontal)) }
        guard let first = parts.first else { throw Problem.emptyList }
        for (index, part) in parts.enumerated() {
            let (expected, got) = horizontal ? (first.rows, part.rows) : (first.columns, part.columns)
            guard expected == got else {
                let dimension = horizontal ? "rows" : "columns"
                throw Problem.expectedValue(what: "\(expected) \(dimension) in argument \(index + 1) of \(horizontal ? "hcat" : "vcat"), as in the first",
                                            got: values[index].shapeDescription)
            }
        }
        if horizontal {
            let columns = parts.reduce(0) { $0 + $1.columns }
            var storage: [Double] = []
            storage.reserveCapacity(first.rows * columns)
            for row in 0..<first.rows {
                for part in parts { storage += part.row(row) }
            }
            return .matrix(Matrix(rows: first.rows, columns: columns, storage: storage))
        }
        return .matrix(Matrix(rows: parts.reduce(0) { $0 + $1.rows }, columns: first.columns, storage: parts.flatMap(\.storage)))
    }

    /// The gradient of a join split back into its arguments' shapes.
    static func split(_ gradient: Value, like values: [Value], horizontal: Bool) -> [Value] {
        let g = gradient.elements
        var results: [Value] = []
        var offset = 0  // columns (horizontal) or rows taken so far
        let total = values.reduce(0) { count, value in
            count + ((try? joinOperand(value, horizontal: horizontal)).map { horizontal ? $0.columns : $0.rows } ?? 0)
        }
        for value in values {
            guard let part = try? joinOperand(value, horizontal: horizontal) else { results.append(.scalar(0)); continue }
            var storage: [Double] = []
            if horizontal {
                for row in 0..<part.rows {
                    let start = row * total + offset
                    storage += g[start..<(start + part.columns)]
                }
                offset += part.columns
            } else {
                let start = offset * part.columns
                storage = Array(g[start..<(start + part.rows * part.columns)])
                offset += part.rows
            }
            if case .vector = value { results.append(.vector(storage)) } else {
                results.append(.matrix(Matrix(rows: part.rows, columns: part.columns, storage: storage)))
            }
        }
        return results
    }

    /// `rows(A)` and `cols(A)`.
    static func dimension(_ name: String, of value: Value) throws(Problem) -> Value {
        switch value {
        case .matrix(let matrix): return .scalar(Double(name == "rows" ? matrix.rows : matrix.columns))
        case .vector(let elements): return .scalar(Double(name == "rows" ? 1 : elements.count))
        case .scalar: return .scalar(1)
        case .text: throw Problem.expectedValue(what: "a number, vector or matrix", got: value.shapeDescription)
        }
    }
}
