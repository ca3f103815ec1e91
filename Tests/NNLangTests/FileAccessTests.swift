#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import NNLang

@Suite("File access")
struct FileAccessTests {
    /// File names are text: nn opens the UTF-8 bytes of a string. A Latin-1 name (`caf\xE9.csv`)
    /// cannot be spelled, so a missing file whose folder holds such names says so; a folder
    /// without them gives the system's reason alone.
    @Test func aMissingFileBesideNamesThatAreNotUTF8SaysSo() throws {
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(folder) }
        #expect(FileAccess.readFile(folder + "/café.csv").failure?.message == "cannot open '\(folder)/café.csv': no such file or directory")
        let latin1 = Array(folder.utf8).map { CChar(bitPattern: $0) } + Array("/caf\u{E9}.csv".unicodeScalars).map { CChar(bitPattern: UInt8($0.value)) } + [0]
        let descriptor = open(latin1, O_CREAT | O_WRONLY, 0o644)
        try #require(descriptor >= 0)
        close(descriptor)
        defer { unlink(latin1) }
        #expect(FileAccess.readFile(folder + "/café.csv").failure?.message == "cannot open '\(folder)/café.csv': no such file or directory"
                + " (the folder has a file name that is not UTF-8, which nn cannot spell: rename it to UTF-8, for example with convmv)")
        // A file that is there opens as ever.
        try FileAccess.writeFile(folder + "/café.csv", [1]).get()
        #expect(try FileAccess.readFile(folder + "/café.csv").get() == [1])
    }

    @Test func writeThenReadGivesTheSameBytes() throws {
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(folder) }
        let path = folder + "/model.nn"
        let bytes = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }  // several read chunks
        try FileAccess.writeFile(path, bytes).get()
        #expect(try FileAccess.readFile(path).get() == bytes)
        try FileAccess.writeFile(path, []).get()
        #expect(try FileAccess.readFile(path).get() == [])
        #expect(DataTestSupport.listing(folder) == ["model.nn"])  // no temporary file left behind
    }

    @Test func replacingKeepsPermissionsAndNewFilesAreReadable() throws {
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(folder) }
        let path = folder + "/w.npy"
        try FileAccess.writeFile(path, [1]).get()
        var status = stat()
        #expect(stat(path, &status) == 0 && status.st_mode & 0o777 == 0o644)
        #expect(chmod(path, 0o600) == 0)
        try FileAccess.writeFile(path, [2]).get()
        #expect(stat(path, &status) == 0 && status.st_mode & 0o777 == 0o600)
        #expect(try FileAccess.readFile(path).get() == [2])
    }

    @Test func aFailedWriteLeavesTheOldFileAndNoTemporaryFile() throws {
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(folder) }
        // A folder that is not empty cannot be renamed over: the last step fails.
        let blocked = folder + "/blocked"
        #expect(mkdir(blocked, 0o755) == 0)
        try FileAccess.writeFile(blocked + "/keep", [7, 7]).get()
        let result = FileAccess.writeFile(blocked, [1, 2, 3])
        guard case .failure(.cannotWrite(let path, let reason)) = result else {
            Issue.record("expected a write failure, got \(result)")
            return
        }
        #expect(path == blocked && !reason.isEmpty && reason.first!.isLowercase)
        #expect(DataTestSupport.listing(folder) == ["blocked"])
        #expect(try FileAccess.readFile(blocked + "/keep").get() == [7, 7])
        DataTestSupport.remove(blocked)
    }

    @Test func aSaveRemovesTheTemporaryFilesOfAKilledSaveOfTheSameTarget() throws {
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(folder) }
        // Left by a save killed with -9: nobody holds them locked.
        try FileAccess.writeFile(folder + "/.m.nnm.tmp-a1B2c3", [1]).get()
        try FileAccess.writeFile(folder + "/.m.nnm.tmp-zzzzzz", [1]).get()
        // Another target's, a name that only looks alike, and a save under way (locked).
        try FileAccess.writeFile(folder + "/.other.nnm.tmp-a1B2c3", [1]).get()
        try FileAccess.writeFile(folder + "/.m.nnm.tmp-short", [1]).get()
        try FileAccess.writeFile(folder + "/.m.nnm.tmp-locked", [1]).get()
        let held = open(folder + "/.m.nnm.tmp-locked", O_RDONLY)
        defer { close(held) }
        #expect(flock(held, LOCK_EX | LOCK_NB) == 0)
        try FileAccess.writeFile(folder + "/m.nnm", [9]).get()
        #expect(DataTestSupport.listing(folder).sorted() == [".m.nnm.tmp-locked", ".m.nnm.tmp-short", ".other.nnm.tmp-a1B2c3", "m.nnm"])
    }

    @Test func writingIntoAMissingFolderFails() {
        let result = FileAccess.writeFile("/nonexistent-nn-folder/x.nn", [1])
        #expect(result.map { true } == .failure(.cannotWrite(path: "/nonexistent-nn-folder/x.nn", reason: "no such file or directory")))
    }

    @Test func readErrors() throws {
        let folder = try #require(DataTestSupport.temporaryFolder())
        defer { DataTestSupport.remove(folder) }
        #expect(FileAccess.readFile(folder + "/missing.csv")
                == .failure(.cannotOpen(path: folder + "/missing.csv", reason: "no such file or directory")))
        #expect(FileAccess.readFile(folder) == .failure(.isDirectory(path: folder)))
        try FileAccess.writeFile(folder + "/big", [UInt8](repeating: 0, count: 100)).get()
        #expect(FileAccess.readFile(folder + "/big", sizeLimit: 99) == .failure(.tooLarge(path: folder + "/big", limit: 99)))
    }

    static let messages: [(FileError, String)] = [
        (.cannotOpen(path: "a.csv", reason: "no such file or directory"), "cannot open 'a.csv': no such file or directory"),
        (.cannotRead(path: "a.csv", reason: "input/output error"), "cannot read 'a.csv': input/output error"),
        (.isDirectory(path: "data"), "'data' is a folder, not a file"),
        (.tooLarge(path: "x.npy", limit: 10), "'x.npy' is larger than 10 bytes"),
        (.cannotWrite(path: "m.nn", reason: "permission denied"), "cannot write 'm.nn': permission denied"),
    ]

    @Test(arguments: messages)
    func messagesAreWorded(error: FileError, message: String) {
        #expect(error.message == message)
    }

    @Test(arguments: [("a/b.csv", "a", "b.csv"), ("b.csv", ".", "b.csv"), ("/b.csv", "/", "b.csv"), ("/x/y/z", "/x/y", "z")])
    func splitsFolderAndFileName(path: String, folder: String, fileName: String) {
        #expect(FileAccess.split(path) == (folder, fileName))
    }
}

extension Result {
    /// The error of a failure; nil for a success.
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
