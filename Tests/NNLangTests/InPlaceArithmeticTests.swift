import Foundation
import NNEngine
import Testing
@testable import NNLang

/// `+ − × ÷` written into a temporary operand's storage (`v * v + 1`) give exactly what a new
/// result gives, with the same shape and the same errors, and leave every variable as it was.
@Suite("In-place arithmetic")
struct InPlaceArithmeticTests {
    static let definitions = """
        v = [1, -2, 3.5]
        u = [0.5, 4, -1]
        m = [[1, 2, 3], [4, 5, 6]]
        n = [[0.5, -1, 2], [3, 0, 1]]
        big = range(0, 1003) / 7 - 50
        huge = [1e308, 1, 2]
        nanv = [0 / 1, 1, 2] * [1, 1, 1]
        """

    /// Temporaries on the left, on the right, on both sides, in every broadcast that keeps a
    /// temporary's shape, and the errors: division by zero, overflow, NaN and infinity
    /// passing through, shapes that do not fit.
    static let expressions = [
        "v * v + 1", "1 + v * v", "(v * 2) - v", "v - (v * 2)", "(v * 2) / v", "v / (v * 2)", "1 / (v * 2)", "(v * 2) / 4",
        "-v + 1", "2 - (-v)", "(v + u) * (v - u)", "(m * 2) + v", "v + (m * 2)", "v - (m * 2)", "(m * 2) - v", "(m * 2) / v",
        "v / (m + 1)", "(m + n) * (m - n)", "(m * 2) + 3", "3 - (m * 2)", "(m * 2) * n", "n / (m * 2)",
        "(big * big) + 1", "1 - (big * big)", "(big * 0.5) / big", "(big + 1) * 3",
        "(v * 2) / 0", "(v * 2) / (v - v)", "1 / (v - v)", "(huge * 1) * 10", "10 * (huge * 1)", "(huge + 0) - (-huge * 1)",
        "(nanv + 0) * 2", "2 * (nanv + 0)", "(v * 0) / (v * 0 + 1)",
        "(v * 2) + [1, 2]", "(m * 2) + [1, 2]", "[1, 2] + (m * 2)", "(m * 2) + (v * 1)", "(v * 2) + \"text\"",
        "(v == 1) + 1", "(v > 0) * (v < 3)", "+(v * 2) + 1", "(m @ n * 1) + 1",
    ]

    @Test(arguments: expressions)
    func aTemporaryTakesTheResultAsANewArrayWould(_ text: String) throws {
        let (session, transcript) = makeSession()
        try #require(session.run(source: Self.definitions) == .completed, "\(transcript.lines)")
        let parsed = Parser.parse(text)
        guard parsed.diagnostics.isEmpty, case .expression(let expression) = parsed.statements.first?.kind else {
            Issue.record("\(text) does not parse as an expression")
            return
        }
        let before = Self.variables(of: session)
        // The general path makes a new array for every operator; the resolved one writes into temporaries.
        let general: Result<Value, Diagnostic>
        do { general = .success(try session.evaluate(expression)) } catch { general = .failure(error) }
        let (code, root) = Resolver.resolve(parsed.statements[0], in: session)
        guard case .expression(let node, _) = code.statements[root] else {
            Issue.record("\(text) was not resolved as an expression")
            return
        }
        let resolved: Result<Value, Diagnostic>
        do { resolved = .success(try session.evaluate(node, in: code)) } catch { resolved = .failure(error) }
        switch (general, resolved) {
        case (.success(let a), .success(let b)):
            #expect(a.shapeDescription == b.shapeDescription, "\(text)")
            #expect(a.elements.count == b.elements.count && zip(a.elements, b.elements).allSatisfy { $0.bitPattern == $1.bitPattern },
                    "\(text): \(a) against \(b)")
        case (.failure(let a), .failure(let b)):
            #expect(a == b, "\(text)")
        default:
            Issue.record("\(text): \(general) against \(resolved)")
        }
        #expect(Self.variables(of: session) == before, "\(text) changed a variable")
    }

    /// A statement that reuses a temporary leaves the variables it read as they were, also when
    /// the temporary is the value assigned.
    @Test func variablesReadByAStatementStayAsTheyWere() throws {
        let (session, transcript) = makeSession()
        #expect(session.run(source: "v = [1, 2, 3]\nw = v\nx = v * 1\ny = x * 2 + 1\nz = -x + 1\nprint v, w, x, y, z") == .completed)
        #expect(transcript.lines.last == "[1, 2, 3] [1, 2, 3] [1, 2, 3] [3, 5, 7] [0, -1, -2]")
    }

    /// The in-place kernel against the kernel that writes a new array, for each operator in
    /// both orders, with a scalar, a whole operand and a row, at sizes around the vector width.
    @Test(arguments: [VectorMath.Arithmetic.add, .subtract, .multiply, .divide])
    func theInPlaceKernelMatchesTheOneThatWritesANewArray(_ operation: VectorMath.Arithmetic) {
        for count in [1, 7, 8, 9, 64, 1001] {
            let a = (0..<count).map { Double($0) * 0.37 - 11.5 }
            // A scalar, a whole operand, and a row of the smallest width above 1 that divides count.
            var width = count
            for divisor in 2...max(2, count) where count % divisor == 0 {
                width = divisor
                break
            }
            let scalar: [Double] = [2.5]
            let whole: [Double] = (0..<count).map { 1 + Double($0 % 5) }
            let row: [Double] = (0..<width).map { -3 + Double($0) * 1.5 }
            for row in [scalar, whole, row] {
                for swapped in [false, true] {
                    let expected = VectorMath.arithmetic(operation, a, row, swapped: swapped)
                    var inPlace = a
                    let flags = VectorMath.arithmeticInPlace(operation, &inPlace, row, swapped: swapped)
                    let same = inPlace.map { $0.bitPattern } == expected.elements.map { $0.bitPattern }
                    #expect(same, "\(operation) \(count) \(swapped)")
                    #expect(flags.isFinite == expected.isFinite && flags.operandWasFinite)
                }
            }
        }
        var overflowing = [1e308, 1, .nan]
        let flags = VectorMath.arithmeticInPlace(operation, &overflowing, [1e-300], swapped: false)
        #expect(!flags.isFinite && !flags.operandWasFinite)
    }

    static func variables(of session: Session) -> [String: [UInt64]] {
        var values: [String: [UInt64]] = [:]
        for name in ["v", "u", "m", "n", "big", "huge", "nanv"] {
            values[name] = session.variables[name]?.elements.map(\.bitPattern)
        }
        return values
    }
}
