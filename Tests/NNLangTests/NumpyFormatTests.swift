import Foundation
import Testing
import NNEngine
@testable import NNLang

@Suite("NumPy .npy format")
struct NumpyFormatTests {
    static let twoByThree = Matrix(rows: 2, columns: 3, storage: [1.5, -2.25, 3.0, 0.1, Double.leastNonzeroMagnitude, -0.0])

    /// Fixtures written by real NumPy (`Fixtures/make_npy_fixtures.py`) and what they hold.
    static let readable: [(String, Matrix)] = [
        ("f8_2d.npy", twoByThree),
        ("f8_version2.npy", twoByThree),
        ("f8_big_endian.npy", twoByThree),
        ("f8_1d.npy", Matrix(column: [0, 0.5, 1, 1.5, Double.greatestFiniteMagnitude])),
        ("f8_scalar.npy", Matrix(rows: 1, columns: 1, storage: [2.5])),
        ("f8_empty.npy", Matrix(rows: 0, columns: 3)),
        ("f4_2d.npy", Matrix([[0.5, -1.25], [3, 0.375], [8, -0.0625]])),
        ("f4_big_endian.npy", Matrix([[0.5, -1.25], [3, 0.375], [8, -0.0625]])),
        ("f2.npy", Matrix([[0.5, -1.25, 65504], [0x1p-14, 0x1p-24, -0.0]])),
        ("f2_big_endian.npy", Matrix([[0.5, -1.25, 65504], [0x1p-14, 0x1p-24, -0.0]])),
        ("i1.npy", Matrix([[0, 1, -2], [-128, 5, 127]])),
        ("i2.npy", Matrix([[0, 1, -2], [-32768, 5, 32767]])),
        ("i2_big_endian.npy", Matrix([[0, 1, -2], [-32768, 5, 32767]])),
        ("i4.npy", Matrix([[0, 1, -2], [-2147483648, 5, 2147483647]])),
        ("i4_big_endian.npy", Matrix([[0, 1, -2], [-2147483648, 5, 2147483647]])),
        ("i8.npy", Matrix([[0, 1, -2], [-0x1p53, 5, 0x1p53]])),
        ("i8_big_endian.npy", Matrix([[0, 1, -2], [-0x1p53, 5, 0x1p53]])),
        ("u1.npy", Matrix([[0, 1, 2], [3, 5, 255]])),
        ("u2.npy", Matrix([[0, 1, 2], [3, 5, 65535]])),
        ("u2_big_endian.npy", Matrix([[0, 1, 2], [3, 5, 65535]])),
        ("u4.npy", Matrix([[0, 1, 2], [3, 5, 4294967295]])),
        ("u4_big_endian.npy", Matrix([[0, 1, 2], [3, 5, 4294967295]])),
        ("u8.npy", Matrix([[0, 1, 2], [3, 5, 0x1p53]])),
        ("u8_big_endian.npy", Matrix([[0, 1, 2], [3, 5, 0x1p53]])),
        ("b1.npy", Matrix([[1, 0, 1], [0, 0, 1]])),
        ("fortran.npy", twoByThree),
        ("i4_fortran.npy", Matrix([[1, 2, 3], [4, 5, 6]])),
        ("i8_labels.npy", Matrix(column: [0, 2, 1, 2, 0])),
    ]

    @Test(arguments: readable)
    func readsWhatNumpyWrote(file: String, expected: Matrix) throws {
        let bytes = try #require(DataTestSupport.fixtureBytes(file))
        let matrix = try NumpyFormat.decode(bytes).get()
        #expect(matrix.rows == expected.rows && matrix.columns == expected.columns)
        #expect(matrix.storage.map(\.bitPattern) == expected.storage.map(\.bitPattern))
    }

    static let unreadable: [(String, DataFileError, String)] = [
        ("complex.npy", .unsupportedDtype("<c16"), "unsupported .npy dtype '<c16' (numbers and booleans only: float, int, uint, bool)"),
        ("text.npy", .unsupportedDtype("<U2"), "unsupported .npy dtype '<U2' (numbers and booleans only: float, int, uint, bool)"),
        ("i8_too_large.npy", .numpyIntegerTooLarge(row: 2, column: 2, text: "9007199254740993"),
         "row 2, column 2: 9007199254740993 is too large to hold exactly (whole numbers up to 2^53 only)"),
        ("u8_too_large.npy", .numpyIntegerTooLarge(row: 1, column: 1, text: "18446744073709551615"),
         "row 1, column 1: 18446744073709551615 is too large to hold exactly (whole numbers up to 2^53 only)"),
        ("three_d.npy", .unsupportedShape("(2, 2, 2)"), "unsupported .npy shape (2, 2, 2) (1 or 2 dimensions only)"),
        ("structured.npy", .unsupportedDtype("[('a', '<f8'), ('b', '<i4')]"),
         "unsupported .npy dtype '[('a', '<f8'), ('b', '<i4')]' (numbers and booleans only: float, int, uint, bool)"),
    ]

    @Test(arguments: unreadable)
    func refusesWhatItCannotRead(file: String, error: DataFileError, message: String) throws {
        let bytes = try #require(DataTestSupport.fixtureBytes(file))
        #expect(NumpyFormat.decode(bytes) == .failure(error))
        #expect(error.message == message)
    }

    static func header(_ dictionary: String, version: UInt8 = 1) -> [UInt8] {
        let text = Array(dictionary.utf8)
        return NumpyFormat.magic + [version, 0, UInt8(text.count), 0] + text
    }

    static let malformed: [([UInt8], DataFileError, String)] = [
        ([], .emptyFile, "empty file"),
        (Array("x,y\n1,2\n".utf8), .notNumpy, "not a .npy file"),
        (NumpyFormat.magic + [4, 0, 0, 0], .unsupportedNumpyVersion(major: 4, minor: 0), "unsupported .npy version 4.0 (1.0, 2.0 and 3.0 only)"),
        (NumpyFormat.magic + [1, 0, 200, 0, 1, 2], .malformedNumpyHeader("the header is cut short"),
         "malformed .npy header: the header is cut short"),
        (header("{'descr': '<f8', 'shape': (1,), }"), .malformedNumpyHeader("no 'fortran_order'"),
         "malformed .npy header: no 'fortran_order'"),
        (header("{'descr': '<f8', 'fortran_order': Maybe, 'shape': (1,), }"), .malformedNumpyHeader("expected True or False"),
         "malformed .npy header: expected True or False"),
        (header("{'descr': '<f8', 'fortran_order': False, 'shape': (x,), }"),
         .malformedNumpyHeader("expected a whole number in the shape"), "malformed .npy header: expected a whole number in the shape"),
        (header("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }") + [UInt8](repeating: 0, count: 24),
         .numpyDataSize(expected: 32, found: 24), ".npy data is 24 bytes but its shape needs 32"),
        (header("{'descr': '<f8', 'fortran_order': False, 'shape': (9223372036854775807, 2), }"),
         .numpyDataSize(expected: Int.max, found: 0), ".npy data is 0 bytes but its shape needs 9223372036854775807"),
        (header("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'extra': 1}"),
         .malformedNumpyHeader("unexpected key 'extra'"), "malformed .npy header: unexpected key 'extra'"),
    ]

    @Test(arguments: malformed)
    func malformedFilesAreErrors(bytes: [UInt8], error: DataFileError, message: String) {
        #expect(NumpyFormat.decode(bytes) == .failure(error))
        #expect(error.message == message)
    }

    @Test func pythonTwoLongsAndAHandWrittenHeaderRead() throws {
        let bytes = Self.header("{\"descr\":\"<f8\",\"fortran_order\":False,\"shape\":(1L,1L)}\n")
            + withUnsafeBytes(of: 0.25.bitPattern.littleEndian, Array.init)
        #expect(try NumpyFormat.decode(bytes).get() == Matrix([[0.25]]))
    }

    @Test func writesWhatNumpyWritesAndReadsItBack() throws {
        let bytes = NumpyFormat.encode(Self.twoByThree)
        // np.save writes the same header and data for this array, byte for byte.
        #expect(bytes == (try #require(DataTestSupport.fixtureBytes("f8_2d.npy"))))
        let header = String(decoding: bytes[10..<(10 + Int(bytes[8]))], as: UTF8.self)
        #expect(header.hasPrefix("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }"))
        #expect(bytes.count == 128 + 48)
    }

    @Test(arguments: [(1, 1), (3, 0), (7, 13), (100, 784)])
    func roundTripIsBitIdentical(rows: Int, columns: Int) throws {
        var generator = SeededGenerator(seed: UInt64(rows * 1000 + columns))
        let matrix = Matrix(rows: rows, columns: columns, storage: (0..<(rows * columns)).map { _ in generator.nextNormal() * 1e3 })
        let bytes = NumpyFormat.encode(matrix)
        #expect((10 + Int(bytes[8]) + Int(bytes[9]) << 8) % 64 == 0)  // data aligned as NumPy aligns it
        let decoded = try NumpyFormat.decode(bytes).get()
        #expect(decoded.rows == rows && decoded.columns == columns)
        #expect(decoded.storage.map(\.bitPattern) == matrix.storage.map(\.bitPattern))
    }

    /// Whether python3 with NumPy can run here; the cross-check below needs it.
    static let numpyAvailable: Bool = {
        (try? runPython(["-c", "import numpy"]).status) == 0
    }()

    static func runPython(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = Pipe()
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test(.enabled(if: numpyAvailable, "needs python3 with NumPy"))
    func numpyReadsWhatNnWrites() throws {
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(folder) }
        let matrix = Matrix([[1.5, -0.0, 1e-300], [Double.pi, -7, Double.leastNonzeroMagnitude]])
        let path = folder + "/w1.npy"
        try FileAccess.writeFile(path, NumpyFormat.encode(matrix)).get()
        let script = "import numpy as np, sys; a = np.load(sys.argv[1]); "
            + "print(a.dtype, a.shape, ' '.join(str(int(v)) for v in a.view(np.uint64).ravel()))"
        let run = try Self.runPython(["-c", script, path])
        #expect(run.status == 0)
        let bits = matrix.storage.map { String($0.bitPattern) }.joined(separator: " ")
        #expect(run.output == "float64 (2, 3) \(bits)\n")
    }
}
