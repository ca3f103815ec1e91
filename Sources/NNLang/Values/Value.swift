import NNEngine

/// A value of the language: a scalar, a vector, a matrix, or a string (for `print`).
public enum Value: Equatable, Sendable {
    case scalar(Double)
    case vector([Double])
    case matrix(Matrix)
    case text(String)

    /// How messages name the value's shape: "a scalar", "a vector of 3", "a 2×3 matrix".
    public var shapeDescription: String {
        switch self {
        case .scalar: return "a scalar"
        case .vector(let elements): return "a vector of \(elements.count)"
        case .matrix(let matrix): return "a \(matrix.rows)×\(matrix.columns) matrix"
        case .text: return "a string"
        }
    }

    /// Every number in the value, row by row.
    public var elements: [Double] {
        switch self {
        case .scalar(let value): return [value]
        case .vector(let elements): return elements
        case .matrix(let matrix): return matrix.storage
        case .text: return []
        }
    }

    /// Whether every number is finite.
    public var isFinite: Bool {
        switch self {
        case .scalar(let value): return value.isFinite
        case .vector(let elements): return VectorMath.allFinite(elements)
        case .matrix(let matrix): return VectorMath.allFinite(matrix.storage)
        case .text: return true
        }
    }

    /// The same shape with every number replaced by `transform` of it.
    ///
    /// Inlined, so that a caller's `transform` is compiled into the loop rather than called
    /// for every element.
    @inline(__always)
    public func map(_ transform: (Double) -> Double) -> Value {
        switch self {
        case .scalar(let value): return .scalar(transform(value))
        case .vector(let elements): return .vector(Value.mapped(elements, transform))
        case .matrix(let matrix): return .matrix(Matrix(rows: matrix.rows, columns: matrix.columns, storage: Value.mapped(matrix.storage, transform)))
        case .text: return self
        }
    }

    /// `transform` of every element, in one loop over contiguous storage.
    @inline(__always)
    private static func mapped(_ elements: [Double], _ transform: (Double) -> Double) -> [Double] {
        elements.withUnsafeBufferPointer { input in
            [Double](unsafeUninitializedCapacity: input.count) { output, initialized in
                if let base = output.baseAddress { HugePages.advise(base, byteCount: input.count * MemoryLayout<Double>.size) }
                for i in 0..<input.count { output[i] = transform(input[i]) }
                initialized = input.count
            }
        }
    }

    /// The same shape over new `elements`, as many as this value has (a scalar takes the first).
    func withElements(_ elements: [Double]) -> Value {
        switch self {
        case .scalar: return .scalar(elements.first ?? 0)
        case .vector: return .vector(elements)
        case .matrix(let matrix): return .matrix(Matrix(rows: matrix.rows, columns: matrix.columns, storage: elements))
        case .text: return self
        }
    }

    /// The value as a matrix of samples, one per row: a vector is one sample.
    public var asSampleMatrix: Matrix? {
        switch self {
        case .vector(let elements): return Matrix(row: elements)
        case .matrix(let matrix): return matrix
        case .scalar(let value): return Matrix(row: [value])
        case .text: return nil
        }
    }
}
