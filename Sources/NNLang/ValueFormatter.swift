#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NNEngine

/// Prints values in nn's own literal syntax, so that what nn prints can be pasted back in:
/// `0.2983711088`, `[0.5, 0.25]`, `[[1, 2], [3, 4]]`.
public struct ValueFormatter: Sendable {
    /// Significant digits, 1 to 17.
    public var precision: Int

    public init(precision: Int) {
        self.precision = precision
    }

    public func format(_ value: Value) -> String {
        switch value {
        case .scalar(let number): return format(number)
        case .vector(let elements): return format(elements)
        case .matrix(let matrix): return format(matrix)
        case .text(let text): return text
        }
    }

    public func format(_ elements: [Double]) -> String {
        "[" + elements.map(format).joined(separator: ", ") + "]"
    }

    public func format(_ matrix: Matrix) -> String {
        "[" + (0..<matrix.rows).map { format(matrix.row($0)) }.joined(separator: ", ") + "]"
    }

    /// A number with `precision` significant digits, in the shortest of fixed or exponent form
    /// (C's `%g`), the exponent written without padding: `1e-5`, `2.5e20`.
    public func format(_ number: Double) -> String {
        if number.isNaN { return "nan" }
        if number.isInfinite { return number < 0 ? "-inf" : "inf" }
        if number == 0 { return "0" }  // also turns -0 into 0
        var buffer = [CChar](repeating: 0, count: 64)
        _ = withVaList([Int32(precision), number]) { arguments in
            vsnprintf(&buffer, buffer.count, "%.*g", arguments)
        }
        let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let exponentStart = text.firstIndex(of: "e") else { return text }
        let mantissa = text[..<exponentStart]
        var exponent = text[text.index(after: exponentStart)...]
        let sign = exponent.first == "-" ? "-" : ""
        exponent = exponent.drop { $0 == "+" || $0 == "-" }.drop { $0 == "0" }
        return "\(mantissa)e\(sign)\(exponent.isEmpty ? "0" : exponent)"
    }
}
