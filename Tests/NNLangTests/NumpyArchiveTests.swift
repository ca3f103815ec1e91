import Testing
import NNEngine
@testable import NNLang

@Suite("NumPy .npz archives")
struct NumpyArchiveTests {
    static let x = Matrix([[0.5, -1.0], [2.0, 0.25], [1.5, 3.0], [-0.75, 0.0], [4.0, -2.5]])

    /// np.savez (stored) and np.savez_compressed (deflated), each member with and without ".npy".
    static let readable: [(String, String, Matrix)] = [
        ("d.npz", "x", x), ("d.npz", "x.npy", x), ("d.npz", "y", Matrix(column: [0, 2, 1, 2, 0])),
        ("d.npz", "w", Matrix([[0, 1, 2], [3, 4, 5]])),
        ("d_compressed.npz", "x", x), ("d_compressed.npz", "y.npy", Matrix(column: [0, 2, 1, 2, 0])),
        ("d_compressed.npz", "w", Matrix([[0, 1, 2], [3, 4, 5]])),
    ]

    @Test(arguments: readable)
    func readsWhatNumpyWrote(file: String, member: String, expected: Matrix) throws {
        let bytes = try #require(DataTestSupport.fixtureBytes(file))
        #expect(NumpyArchive.decode(bytes, member: member) == .success(expected))
    }

    static let unreadable: [(String, String, DataFileError, String)] = [
        ("d.npz", "z", .zipMissingMember("z", arrays: ["x", "y", "w"]), "no array 'z' in the archive (arrays: x, y, w)"),
        ("d.npz", "", .zipMissingMember("", arrays: ["x", "y", "w"]),
         "name the array to read, as \"FILE.npz:NAME\" (arrays: x, y, w)"),
        ("d_truncated.npz", "x", .zipDamaged("no end of central directory record"),
         "damaged .npz archive: no end of central directory record"),
        ("d_bad_crc.npz", "x", .zipMember("x.npy", "its CRC-32 does not match (the file is damaged)"),
         "cannot read 'x.npy': its CRC-32 does not match (the file is damaged)"),
        ("d_complex.npz", "z", .inArchiveMember("z.npy", .unsupportedDtype("<c16")),
         "'z.npy': unsupported .npy dtype '<c16' (numbers and booleans only: float, int, uint, bool)"),
        ("d_zip64.npz", "x", .zip64, "unsupported ZIP64 archive (archives and arrays under 4 GiB only)"),
        ("f8_2d.npy", "x", .notZip, "not a .npz file (NumPy's archives are ZIP files, as np.savez writes them)"),
    ]

    @Test(arguments: unreadable)
    func refusesWhatItCannotRead(file: String, member: String, error: DataFileError, message: String) throws {
        let bytes = try #require(DataTestSupport.fixtureBytes(file))
        #expect(NumpyArchive.decode(bytes, member: member) == .failure(error))
        #expect(error.message == message)
    }

    /// Damage to a deflated member: its data changed, or its stated size wrong.
    @Test func damagedDeflateIsAnError() throws {
        let bytes = try #require(DataTestSupport.fixtureBytes("d_compressed.npz"))
        let archive = try ZipArchive(bytes)
        let entry = try #require(archive.entries.first { $0.name == "x.npy" })
        var garbled = bytes
        let start = entry.localHeaderOffset + 30 + ZipArchive.uint16(bytes, entry.localHeaderOffset + 26)
            + ZipArchive.uint16(bytes, entry.localHeaderOffset + 28)
        for offset in start..<(start + entry.compressedSize) { garbled[offset] = 0xFF }
        guard case .failure(.zipMember("x.npy", let reason)) = NumpyArchive.decode(garbled, member: "x") else {
            Issue.record("garbled deflate data was read")
            return
        }
        #expect(reason == "its compressed data is damaged")
    }

    @Test func memberNamesSplitAtTheLastArchive() {
        #expect(NumpyArchive.splitMemberName("d.npz:x") == ("d.npz", "x"))
        #expect(NumpyArchive.splitMemberName("a.npz:/b.npz:y.npy") == ("a.npz:/b.npz", "y.npy"))
        #expect(NumpyArchive.splitMemberName("d.npz") == ("d.npz", ""))
        #expect(NumpyArchive.splitMemberName("x.npy") == ("x.npy", nil))
    }

    /// Hostile headers never crash: every prefix of an archive, and every single-byte change
    /// of its directory, is read or refused.
    @Test func everyPrefixAndDirectoryChangeIsHandled() throws {
        let bytes = try #require(DataTestSupport.fixtureBytes("d_compressed.npz"))
        for length in 0..<bytes.count { _ = NumpyArchive.decode(Array(bytes[..<length]), member: "y") }
        for offset in max(0, bytes.count - 300)..<bytes.count {
            var changed = bytes
            changed[offset] ^= 0xA5
            _ = NumpyArchive.decode(changed, member: "y")
        }
    }
}
