import Testing
import NNEngine
@testable import NNLang

/// `FloatParser` against `Double(String)` (the reader's rule before it existed) on random and
/// adversarial text, and against Python's `float()` on the hard cases of
/// `Fixtures/float_cases.txt` (rewrite it with `python3 Tests/NNLangTests/Fixtures/float_cases.py`).
@Suite("Float parser")
struct FloatParserTests {
    /// The parser's answer for `text`, and the one `Double(String)` gives, as bit patterns.
    static func both(_ text: String) -> (parsed: UInt64?, swift: UInt64?) {
        let parsed = Array(text.utf8).withUnsafeBufferPointer { FloatParser.double($0) }
        return (parsed?.bitPattern, Double(text)?.bitPattern)
    }

    @Test(arguments: [
        "0", "-0", "+0", "0.0", "-0.0", "00", ".5", "5.", "-.5", "1e5", "1E5", "1e+05", "1e-05", "1.5e-3",
        "3", "0.1", "0.3", "1e22", "1e23", "9007199254740993", "9007199254740992", "1e-400", "1e400", "-1e400",
        "4.9406564584124654e-324", "2.4703282292062327e-324", "2.4703282292062328e-324", "2.2250738585072011e-308",
        "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308", "1e-324", "1e-323",
        "0.000000000000000000000000000000000000000000000000000000000000000001",
        "1234567890123456789", "12345678901234567890", "123456789012345678901234567890.5e-10",
        "1e99999", "1e-99999", "0e99999", "1e0000000000000000000000000000000000000000000003",
        // not decimals: Double(String) decides, and the two must agree on nil as well
        "", " ", "-", "+", ".", "e5", ".e5", "1e", "1e+", "1.2.3", "--1", "+-1", " 1", "1 ", "1,5", "1_000",
        "inf", "-inf", "Infinity", "INF", "nan", "NaN", "-nan", "nan(123)", "snan", "0x1p3", "0X1.8P1", "0x",
        "1e5.5", "1d5", "١", "1\u{0}", "\u{FEFF}1", "½", "1f",
    ])
    func agreesWithSwift(on text: String) {
        let (parsed, swift) = Self.both(text)
        #expect(parsed == swift, "\(text.debugDescription): \(parsed.map { String($0, radix: 16) } ?? "nil") against \(swift.map { String($0, radix: 16) } ?? "nil")")
    }

    @Test func plainDecimalsAreReadWithoutDoubleOfString() {
        // The fast path itself (not its fallback) must give these: they are what files hold.
        for text in ["0.1", "-1.5e-3", "3", "0.12345678901234568", "-2.2250738585072014e-308", "1.7976931348623157e308"] {
            let fast = Array(text.utf8).withUnsafeBufferPointer { FloatParser.decimal($0) }
            #expect(fast?.bitPattern == Double(text)?.bitPattern, "\(text)")
        }
    }

    @Test func hardCasesMatchPythonAndSwift() throws {
        let bytes = try #require(DataTestSupport.fixtureBytes("float_cases.txt"))
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
        #expect(lines.count > 4000)
        var mismatches: [String] = []
        for line in lines {
            let parts = line.split(separator: " ")
            guard parts.count == 2, let expected = UInt64(parts[1], radix: 16) else {
                mismatches.append("bad fixture line \(line.prefix(40))")
                continue
            }
            let (parsed, swift) = Self.both(String(parts[0]))
            if parsed != expected || swift != expected { mismatches.append(String(parts[0].prefix(80))) }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, e.g. \(mismatches.prefix(5))")
    }

    /// Three hundred thousand random texts: shortest and 17-digit forms of random doubles over the
    /// whole range, random digit strings with points and exponents, and mutations of them.
    @Test func randomTextsAgreeWithSwift() {
        var generator = SeededGenerator(seed: 21)
        var mismatches: [String] = []
        let alphabet = Array("0123456789.eE+-")
        for round in 0..<300_000 {
            let text: String
            switch round % 4 {
            case 0:
                let value = Double(bitPattern: generator.next() & ~(0x7FF << 52) | (UInt64.random(in: 0...0x7FE, using: &generator) << 52))
                text = "\(value)"
            case 1:
                let digits = (0..<Int.random(in: 1...25, using: &generator)).map { _ in String(Int.random(in: 0...9, using: &generator)) }.joined()
                let point = Int.random(in: 0...digits.count, using: &generator)
                let exponent = Int.random(in: -345...312, using: &generator)
                text = (Bool.random(using: &generator) ? "-" : "") + String(digits.prefix(point)) + "." + String(digits.dropFirst(point)) + "e\(exponent)"
            case 2:
                // 17 significant digits, as numpy and Python write full precision
                let mantissa = UInt64.random(in: 10_000_000_000_000_000...99_999_999_999_999_999, using: &generator)
                let digits = String(mantissa)
                text = digits.prefix(1) + "." + digits.dropFirst() + "e\(Int.random(in: -330...310, using: &generator))"
            default:
                var characters = Array("\(Double.random(in: -1000...1000, using: &generator))")
                let position = Int.random(in: 0..<characters.count, using: &generator)
                characters[position] = alphabet[Int.random(in: 0..<alphabet.count, using: &generator)]
                text = String(characters)
            }
            let (parsed, swift) = Self.both(text)
            if parsed != swift { mismatches.append(text) }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, e.g. \(mismatches.prefix(5))")
    }
}
