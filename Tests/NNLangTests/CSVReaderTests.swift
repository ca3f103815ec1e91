import Testing
import NNEngine
@testable import NNLang

@Suite("CSV reader")
struct CSVReaderTests {
    static let flowers = """
        length,width,species
        1.5,0.5,b
        2.5,1,a
        3,1.5,b
        """

    @Test func textTargetBecomesSortedOneHotClasses() throws {
        let data = try CSVReader.read(Self.flowers, target: "species", name: "flowers.csv").get()
        #expect(data.inputs == Matrix([[1.5, 0.5], [2.5, 1], [3, 1.5]]))
        #expect(data.classNames == ["a", "b"])  // sorted, not in order of first appearance
        #expect(data.targets == Matrix([[0, 1], [1, 0], [0, 1]]))
        #expect(data.featureNames == ["length", "width"])
        #expect(data.name == "flowers.csv")
    }

    @Test func numericTargetIsRegressionAndNilTargetIsTheLastColumn() throws {
        let text = "y,x1,x2\n0.5,1,2\n-1.5,3,4\n"
        let data = try CSVReader.read(text, target: "y").get()
        #expect(data.inputs == Matrix([[1, 2], [3, 4]]))
        #expect(data.targets == Matrix(column: [0.5, -1.5]))
        #expect(data.classNames.isEmpty)
        let last = try CSVReader.read(text, target: nil).get()
        #expect(last.featureNames == ["y", "x1"])
        #expect(last.targets == Matrix(column: [2, 4]))
    }

    @Test func numericClassTargetSortsNumericallyWithCanonicalNames() throws {
        let text = "p,label\n1,10\n2,2.0\n3,2\n4,-1\n"
        let data = try CSVReader.read(text, target: "label", targetIsClass: true).get()
        #expect(data.classNames == ["-1", "2", "10"])
        #expect(data.targets == Matrix([[0, 0, 1], [0, 1, 0], [0, 1, 0], [1, 0, 0]]))
    }

    @Test func fixedClassesKeepTheirOrder() throws {
        let data = try CSVReader.read(Self.flowers, target: "species", classNames: ["b", "a", "c"]).get()
        #expect(data.classNames == ["b", "a", "c"])
        #expect(data.targets == Matrix([[1, 0, 0], [0, 1, 0], [1, 0, 0]]))
        let unknown = CSVReader.read(Self.flowers, target: "species", classNames: ["b"])
        #expect(unknown == .failure(.unknownClass(line: 3, column: "species", name: "a", classes: ["b"])))
    }

    @Test func dialectLeniency() throws {
        // BOM, CRLF, spaces around fields, blank lines anywhere, quoted header and fields,
        // "" escapes and a line break inside quotes, no final newline.
        let text = "\u{FEFF}\"a\" , b,\"class, kind\"\r\n\r\n 1 ,2,\"say \"\"hi\"\"\"\r\n   \n3,4,\"two\nlines\"\n\n5,6,plain"
        let data = try CSVReader.read(text, target: "class, kind").get()
        #expect(data.featureNames == ["a", "b"])
        #expect(data.inputs == Matrix([[1, 2], [3, 4], [5, 6]]))
        #expect(data.classNames == ["plain", "say \"hi\"", "two\nlines"])
        #expect(data.targets == Matrix([[0, 1, 0], [0, 0, 1], [1, 0, 0]]))
    }

    @Test func separatorsOtherThanComma() throws {
        // A comma inside a field is text, not a separator: "1,5" is not a number.
        let semicolons = CSVReader.read("a;b;y\n1,5;2;x\n3;4;z\n", target: nil, dialect: CSVDialect(separator: UInt8(ascii: ";")))
        #expect(semicolons == .failure(.notANumber(line: 2, column: "a", text: "1,5")))
        let fine = try CSVReader.read("a;b;y\n1.5;2;x\n3;4;z\n", target: nil, dialect: CSVDialect(separator: UInt8(ascii: ";"))).get()
        #expect(fine.featureNames == ["a", "b"])
        #expect(fine.inputs == Matrix([[1.5, 2], [3, 4]]))
        // With tab as the separator, spaces around fields are still ignored but tabs separate.
        let tabs = CSVReader.read("a\tb\ty\n 1 \t2\t0\n3\t\t1\n", target: nil, dialect: CSVDialect(separator: UInt8(ascii: "\t")))
        #expect(tabs == .failure(.missingValue(line: 3, column: "b", text: "")))
        let pipes = try CSVReader.read("a|y\n\"1\"|2\n", target: nil, dialect: CSVDialect(separator: UInt8(ascii: "|"))).get()
        #expect(pipes.inputs == Matrix([[1]]))
        let spaced = try CSVReader.read("a\ty\n 1 \t 2 \n", target: nil, dialect: CSVDialect(separator: UInt8(ascii: "\t"))).get()
        #expect(spaced.inputs == Matrix([[1]]) && spaced.targets == Matrix([[2]]))
        #expect(CSVDialect.canSeparate(UInt8(ascii: ";")) && CSVDialect.canSeparate(UInt8(ascii: "\t")))
        #expect(![" ", "\"", "\n", "a", "1", ".", "-", "+"].contains { CSVDialect.canSeparate(UInt8(ascii: Unicode.Scalar($0)!)) })
    }

    @Test func headerlessFilesNameTheirColumns() throws {
        let last = try CSVReader.read("1,2,0\n3,4,1\n", target: .last, dialect: CSVDialect(hasHeader: false)).get()
        #expect(last.featureNames == ["x1", "x2"])
        #expect(last.inputs == Matrix([[1, 2], [3, 4]]))
        #expect(last.targets == Matrix(column: [0, 1]))
        let first = try CSVReader.read("a,2,3\nb,5,6\n", target: .position(1), dialect: CSVDialect(hasHeader: false)).get()
        #expect(first.featureNames == ["x1", "x2"])
        #expect(first.inputs == Matrix([[2, 3], [5, 6]]))
        #expect(first.classNames == ["a", "b"])
    }

    static let headerlessCases: [(String, CSVReader.TargetColumn, DataFileError, String)] = [
        ("1,2\n\n3\n", .last, .fieldCountAgainstFirstRow(line: 3, found: 1, expected: 2, firstLine: 1),
         "line 3 has 1 field but line 1 has 2"),
        ("1,2\n", .position(3), .targetPosition(3, columns: 2), "target column 3 is past the last column (the file has 2 columns)"),
        ("1,2\n", .named("y"), .missingTargetColumn("y", columns: []),
         "target 'y' names a column, but the file has no header: give the target's position, as in target=3"),
        ("1,NA\n", .position(1), .missingValue(line: 1, column: "x1", text: "NA"),
         "line 1, column 'x1': missing value 'NA' (nn does not fill in missing values)"),
    ]

    @Test(arguments: headerlessCases)
    func headerlessFilesReportErrors(text: String, target: CSVReader.TargetColumn, error: DataFileError, message: String) {
        #expect(CSVReader.read(text, target: target, dialect: CSVDialect(hasHeader: false)) == .failure(error))
        #expect(error.message == message)
    }

    @Test func writerRoundTrips() throws {
        let matrix = Matrix([[1, -0.0, 0.1], [1e-300, -2.5e8, Double.greatestFiniteMagnitude]])
        let text = CSVWriter.encode(matrix, columns: ["a", "b, c", "y"])
        #expect(text == "a,\"b, c\",y\n1,-0.0,0.1\n1e-300,-250000000,1.7976931348623157e+308\n")
        let data = try CSVReader.read(text, target: "y").get()
        #expect(data.inputs.storage.map(\.bitPattern) == [1, -0.0, 1e-300, -2.5e8].map(\.bitPattern))
        #expect(data.targets == Matrix(column: [0.1, Double.greatestFiniteMagnitude]))
        let read = try CSVReader.readMatrix(bytes: Array(text.utf8)).get()
        #expect(read.columns == ["a", "b, c", "y"])
        #expect(read.matrix.storage.map(\.bitPattern) == matrix.storage.map(\.bitPattern))
        #expect(CSVWriter.encode(header: ["class"], rows: [[.text("say \"hi\"")], [.missing]]) == "class\n\"say \"\"hi\"\"\"\n\n")
    }

    @Test func matricesWithoutAHeaderReadWhole() throws {
        let read = try CSVReader.readMatrix(bytes: Array("1;2\n3;4\n".utf8), dialect: CSVDialect(separator: UInt8(ascii: ";"))).get()
        #expect(read.columns == nil)
        #expect(read.matrix == Matrix([[1, 2], [3, 4]]))
        #expect(CSVReader.readMatrix(bytes: Array("1,2\n3\n".utf8)).map(\.matrix)
                == .failure(.fieldCountAgainstFirstRow(line: 2, found: 1, expected: 2, firstLine: 1)))
    }

    @Test func bytesAndTextReadAlike() {
        #expect(CSVReader.read(bytes: Array(Self.flowers.utf8), target: "species")
                == CSVReader.read(Self.flowers, target: "species"))
    }

    static let errors: [(String, String?, DataFileError, String)] = [
        ("", "y", .emptyFile, "empty file"),
        ("\n  \n\r\n", "y", .emptyFile, "empty file"),
        ("x,y\n\n", "y", .noRows, "no data rows after the header"),
        ("x,y\n1,2\nabc,3\n", "y", .notANumber(line: 3, column: "x", text: "abc"),
         "line 3, column 'x': 'abc' is not a number"),
        ("x,y\n1,2\ninf,3\n", "y", .notANumber(line: 3, column: "x", text: "inf"),
         "line 3, column 'x': 'inf' is not a finite number"),
        ("x,y\n1,2\nnan,3\n", "y", .missingValue(line: 3, column: "x", text: "nan"),
         "line 3, column 'x': missing value 'nan' (nn does not fill in missing values)"),
        ("x,y\n1,2\n4,NA\n", "y", .missingValue(line: 3, column: "y", text: "NA"),
         "line 3, column 'y': missing value 'NA' (nn does not fill in missing values)"),
        ("a,b,y\n1,2,3\n4,NaN,5\n", "y", .missingValue(line: 3, column: "b", text: "NaN"),
         "line 3, column 'b': missing value 'NaN' (nn does not fill in missing values)"),
        ("x,y\n1,2\n-1e999,3\n", "y", .notANumber(line: 3, column: "x", text: "-1e999"),
         "line 3, column 'x': '-1e999' is out of range (numbers reach ±1.8e308)"),
        ("x,y\n1,\n", "y", .missingValue(line: 2, column: "y", text: ""),
         "line 2, column 'y': missing value (nn does not fill in missing values)"),
        ("x,y\n ,1\n", "y", .missingValue(line: 2, column: "x", text: ""),
         "line 2, column 'x': missing value (nn does not fill in missing values)"),
        ("a,b,c\n1,2,3\n\n1,2\n", "c", .fieldCount(line: 4, found: 2, expected: 3), "line 4 has 2 fields but the header has 3"),
        ("a,b\n1,2,3\n", "b", .fieldCount(line: 2, found: 3, expected: 2), "line 2 has 3 fields but the header has 2"),
        ("a,b,c\n1,2,3\n", "species", .missingTargetColumn("species", columns: ["a", "b", "c"]),
         "missing target column 'species' (columns: a, b, c)"),
        ("a,b,a\n1,2,3\n", "b", .duplicateColumn("a"), "column 'a' appears twice in the header"),
        ("y\n1\n", "y", .noFeatureColumns(target: "y"), "no feature columns besides the target 'y'"),
        ("x,y\n1,\"open\n2,3\n", "y", .unterminatedQuote(line: 2), "line 2: quoted field is never closed"),
        ("x,y\n1,\"a\"b\n", "y", .textAfterQuote(line: 2),
         "line 2: text after a closing quote (a quoted field ends at a comma or the end of the line)"),
        // Line numbers count the physical lines of a quoted field with a line break.
        ("x,y\n1,\"a\nb\"\nz,c\n", "y", .notANumber(line: 4, column: "x", text: "z"),
         "line 4, column 'x': 'z' is not a number"),
    ]

    @Test(arguments: errors)
    func errorsNameTheirLineAndColumn(text: String, target: String?, error: DataFileError, message: String) {
        let result = CSVReader.read(text, target: target)
        #expect(result == .failure(error))
        #expect(error.message == message)
    }

    @Test func errorLinesAreReported() {
        #expect(DataFileError.notANumber(line: 12, column: "w", text: "x").line == 12)
        #expect(DataFileError.missingTargetColumn("y", columns: []).line == nil)
    }
}
