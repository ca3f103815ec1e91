import NNEngine

/// One subscript of a slice, resolved against its dimension: a single position drops the
/// dimension (`X[:, 1]` is a vector), several keep it (`X[:, [1, 3]]` is a matrix). 1-based.
enum Axis: Equatable, Sendable {
    case single(Int)
    case many([Int])

    var positions: [Int] {
        switch self {
        case .single(let position): [position]
        case .many(let positions): positions
        }
    }
}

extension Value {
    /// The dimensions subscripts select from: a vector's length, a matrix's rows and columns.
    var subscriptDimensions: [Int] {
        switch self {
        case .vector(let elements): [elements.count]
        case .matrix(let matrix): [matrix.rows, matrix.columns]
        case .scalar, .text: []
        }
    }

    /// The elements `axes` select, checked to lie within the value: `X[2:5, :]`, `v[[1, 3]]`.
    /// `text` is the subscript as written, for messages.
    func selecting(_ axes: [Axis], name: String, text: String) throws(Problem) -> Value {
        let dimensions = subscriptDimensions
        guard !dimensions.isEmpty else { throw Problem.expectedValue(what: "a vector or matrix to index", got: shapeDescription) }
        guard axes.count == dimensions.count else {
            throw Problem.wrongIndexCount(name: name, expected: dimensions.count, got: axes.count)
        }
        for (axis, size) in zip(axes, dimensions) where !axis.positions.allSatisfy({ $0 >= 1 && $0 <= size }) {
            throw Problem.indexOutOfRange(name: name, index: text, shape: shapeDescription)
        }
        switch self {
        case .vector(let elements):
            switch axes[0] {
            case .single(let position): return .scalar(elements[position - 1])
            case .many(let positions): return .vector(positions.map { elements[$0 - 1] })
            }
        case .matrix(let matrix):
            let rows = axes[0].positions, columns = axes[1].positions
            let picked = rows.map { row in columns.map { matrix[row - 1, $0 - 1] } }
            switch (axes[0], axes[1]) {
            case (.single, .single): return .scalar(picked[0][0])
            case (.single, .many): return .vector(picked[0])
            case (.many, .single): return .vector(picked.map { $0[0] })
            case (.many, .many): return .matrix(Matrix(picked))
            }
        case .scalar, .text:
            return self
        }
    }

    /// The gradient of a selection scattered back into a zero value of this one's shape: each
    /// selected position gets the gradient of the element it gave (summed when picked twice).
    func scatter(_ gradient: Value, _ axes: [Axis]) -> Value {
        var result = map { _ in 0 }
        let values = gradient.elements
        switch result {
        case .vector(var elements):
            for (offset, position) in axes[0].positions.enumerated() where offset < values.count {
                elements[position - 1] += values[offset]
            }
            result = .vector(elements)
        case .matrix(var matrix):
            let columns = axes[1].positions
            var offset = 0
            for row in axes[0].positions {
                for column in columns where offset < values.count {
                    matrix[row - 1, column - 1] += values[offset]
                    offset += 1
                }
            }
            result = .matrix(matrix)
        case .scalar, .text:
            break
        }
        return result
    }
}
