#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Testing
import NNEngine
@testable import NNLang

/// `NumpyFormat.read(path:)`, which streams a file into the matrix, against `decode`, which
/// reads the file's bytes: the same matrix or the same error for every file, whole or cut.
@Suite("NumPy .npy files read in one pass")
struct NumpyFileReadTests {
    static let fixtures = (NumpyFormatTests.readable.map(\.0) + NumpyFormatTests.unreadable.map(\.0))

    static func readBoth(_ bytes: [UInt8], in folder: String, name: String = "a.npy") throws -> (streamed: Result<Matrix, NumpyFormat.ReadFailure>, decoded: Result<Matrix, NumpyFormat.ReadFailure>) {
        let path = folder + "/" + name
        // A plain write: the atomic, flushed one would make thousands of cuts slow.
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        try #require(descriptor >= 0)
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        return (NumpyFormat.read(path: path), NumpyFormat.decode(bytes).mapError { .data($0) })
    }

    static func same(_ a: Result<Matrix, NumpyFormat.ReadFailure>, _ b: Result<Matrix, NumpyFormat.ReadFailure>) -> Bool {
        switch (a, b) {
        case (.success(let x), .success(let y)):
            return x.rows == y.rows && x.columns == y.columns && x.storage.map(\.bitPattern) == y.storage.map(\.bitPattern)
        case (.failure(let x), .failure(let y)): return x == y
        default: return false
        }
    }

    @Test(arguments: fixtures)
    func everyFixtureWholeAndCutAtEveryByte(file: String) throws {
        let bytes = try #require(DataTestSupport.fixtureBytes(file))
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(folder) }
        for length in 0...bytes.count {
            let (streamed, decoded) = try Self.readBoth(Array(bytes[0..<length]), in: folder)
            #expect(Self.same(streamed, decoded), "\(file) cut to \(length) bytes: \(streamed) against \(decoded)")
        }
    }

    /// Files of several blocks, in every element type nn converts, the last block
    /// short.
    @Test(arguments: ["<f8", ">f8", "<f4", ">f4", "<i2", "<i8", "|u1", "|b1", "<f2"])
    func manyBlocks(dtype: String) throws {
        let size = Int(dtype.dropFirst(2))!
        let count = 3 * NumpyFormat.blockBytes / size + 5
        var data = [UInt8](repeating: 0, count: count * size)
        var generator = SeededGenerator(seed: 7)
        for index in data.indices { data[index] = UInt8.random(in: 0...255, using: &generator) }
        if dtype == "|b1" { for index in data.indices { data[index] &= 1 } }
        if dtype == "<i8" {  // below 2^53 in magnitude
            for index in stride(from: size - 1, to: data.count, by: size) { (data[index], data[index - 1]) = (0, data[index - 1] & 0x1F) }
        }
        if dtype.hasSuffix("f8") || dtype.hasSuffix("f4") || dtype.hasSuffix("f2") {
            // Keep exponents away from NaN payloads, which need not survive a float conversion.
            let top = dtype.hasPrefix("<") ? size - 1 : 0
            for index in stride(from: top, to: data.count, by: size) { data[index] &= 0x3F }
        }
        let text = "{'descr': '\(dtype)', 'fortran_order': False, 'shape': (\(count / 5), 5), }"
        let padded = text + String(repeating: " ", count: 63 - (10 + text.utf8.count) % 64) + "\n"
        let bytes = NumpyFormat.magic + [1, 0, UInt8(padded.utf8.count & 0xFF), UInt8(padded.utf8.count >> 8)] + Array(padded.utf8) + data
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(folder) }
        let (streamed, decoded) = try Self.readBoth(bytes, in: folder)
        #expect(Self.same(streamed, decoded))
        #expect((try? streamed.get().rows) == count / 5)
        // Cut inside the last block, and one element short.
        let (cutStreamed, cutDecoded) = try Self.readBoth(Array(bytes.dropLast(size + 1)), in: folder)
        #expect(Self.same(cutStreamed, cutDecoded))
    }

    @Test func aMatrixOverTheMemoryLimitIsRefusedBeforeItIsRead() throws {
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(folder) }
        let path = folder + "/m.npy"
        try FileAccess.writeFile(path, NumpyFormat.encode(Matrix(rows: 200, columns: 10))).get()
        #expect(NumpyFormat.read(path: path, memoryLimit: 15_999) == .failure(.tooLarge(rows: 200, columns: 10, bytes: 16_000)))
        #expect((try? NumpyFormat.read(path: path, memoryLimit: 16_000).get().rows) == 200)
    }

    @Test func filesThatCannotBeReadSaySo() throws {
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(folder) }
        #expect(NumpyFormat.read(path: folder + "/missing.npy") == .failure(.file(.cannotOpen(path: folder + "/missing.npy", reason: "no such file or directory"))))
        #expect(NumpyFormat.read(path: folder) == .failure(.file(.isDirectory(path: folder))))
    }

    /// A named pipe has no size to read into: it is read whole, then decoded.
    @Test func aPipeIsReadWhole() throws {
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(folder) }
        let path = folder + "/p.npy"
        #expect(mkfifo(path, 0o600) == 0)
        let bytes = NumpyFormat.encode(NumpyFormatTests.twoByThree)
        DispatchQueue.global().async {
            let descriptor = open(path, O_WRONLY)  // waits for the reader
            guard descriptor >= 0 else { return }
            _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            close(descriptor)
        }
        let read = NumpyFormat.read(path: path)
        #expect(Self.same(read, .success(NumpyFormatTests.twoByThree)))
    }
}
