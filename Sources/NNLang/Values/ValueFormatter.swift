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
    /// Decimal places instead of significant digits, when set (`set decimals 9` prints the
    /// worked example's figures as published: 0.082167041, 0.74136507).
    public var decimals: Int?

    public init(precision: Int, decimals: Int? = nil) {
        self.precision = precision
        self.decimals = decimals
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
        if let decimals, abs(number) < 1e15 {
            return fixed(number, decimals: decimals)
        }
        let text = printf("%.*g", precision, number)
        guard let exponentStart = text.firstIndex(of: "e") else { return text }
        let mantissa = text[..<exponentStart]
        var exponent = text[text.index(after: exponentStart)...]
        let sign = exponent.first == "-" ? "-" : ""
        exponent = exponent.drop { $0 == "+" || $0 == "-" }.drop { $0 == "0" }
        return "\(mantissa)e\(sign)\(exponent.isEmpty ? "0" : exponent)"
    }

    /// `number` with `decimals` places, trailing zeros (and a bare point) dropped.
    private func fixed(_ number: Double, decimals: Int) -> String {
        var text = printf("%.*f", decimals, number)
        if text.contains(".") {
            while text.last == "0" { text.removeLast() }
            if text.last == "." { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }

    private func printf(_ format: String, _ digits: Int, _ number: Double) -> String {
        var buffer = [CChar](repeating: 0, count: 64)
        _ = withVaList([Int32(digits), number]) { arguments in
            vsnprintf(&buffer, buffer.count, format, arguments)
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
