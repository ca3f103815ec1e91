import Testing
import NNEngine
@testable import NNLang

@Suite("FANN reader")
struct FANNReaderTests {
    static let xor = "4 2 1\n-1 -1\n-1\n-1 1\n1\n1 -1\n1\n1 1\n-1\n"

    @Test func readsPairs() throws {
        let data = try FANNReader.read(Self.xor, name: "xor.data").get()
        #expect(data.inputs == Matrix([[-1, -1], [-1, 1], [1, -1], [1, 1]]))
        #expect(data.targets == Matrix(column: [-1, 1, 1, -1]))
        #expect(data.classNames.isEmpty)
        #expect(data.name == "xor.data")
    }

    @Test func toleratesCRLFTabsAndBlankLines() throws {
        let text = "2\t1 2\r\n\r\n0.5\r\n1 0\r\n  1.5 \r\n0\t1\r\n"
        let data = try FANNReader.read(bytes: Array(text.utf8)).get()
        #expect(data.inputs == Matrix(column: [0.5, 1.5]))
        #expect(data.targets == Matrix([[1, 0], [0, 1]]))
    }

    static let errors: [(String, DataFileError, String)] = [
        ("", .emptyFile, "empty file"),
        ("4 2\n", .fannHeader(line: 1, found: "4 2"),
         "line 1: expected a FANN header 'pairs inputs outputs' (three positive whole numbers), found '4 2'"),
        ("\n0 2 1\n", .fannHeader(line: 2, found: "0 2 1"),
         "line 2: expected a FANN header 'pairs inputs outputs' (three positive whole numbers), found '0 2 1'"),
        ("4 2 1\n0 0\n0\n0 1\n1\n1 0\n1\n", .fannPairCount(header: 4, found: 3), "FANN header says 4 pairs but the file has 3"),
        ("4 2 1\n0 0\n0\n0 1\n1\n1 0\n1\n1 1\n", .fannPairCount(header: 4, found: 3), "FANN header says 4 pairs but the file has 3"),
        ("1 2 1\n0 0\n0\n0 1\n", .fannPairCount(header: 1, found: 2), "FANN header says 1 pairs but the file has 2"),
        ("2 2 1\n0 0\n0\n0 1 1\n1\n", .fannValueCount(line: 4, found: 3, expected: 2, what: "inputs"),
         "line 4 has 3 numbers but the header says 2 inputs"),
        ("2 2 1\n0 0\n0 1\n0 1\n1\n", .fannValueCount(line: 3, found: 2, expected: 1, what: "outputs"),
         "line 3 has 2 numbers but the header says 1 outputs"),
        ("1 2 1\n0 x\n0\n", .fannNotANumber(line: 2, position: 2, text: "x"), "line 2, number 2: 'x' is not a number"),
        ("1 2 1\n0 1e400\n0\n", .fannNotANumber(line: 2, position: 2, text: "1e400"),
         "line 2, number 2: '1e400' is out of range (numbers reach ±1.8e308)"),
        ("9223372036854775807 9223372036854775807 1\n1\n", .fannPairCount(header: 9223372036854775807, found: 0),
         "FANN header says 9223372036854775807 pairs but the file has 0"),
    ]

    @Test(arguments: errors)
    func errorsNameTheirLine(text: String, error: DataFileError, message: String) {
        #expect(FANNReader.read(text) == .failure(error))
        #expect(error.message == message)
    }
}
