import Foundation
import Testing
@testable import nn

/// Writing to what is already at a path: the kind of file decides (a regular file is replaced
/// atomically, a symbolic link is followed, a hard link, a named pipe or a device is written
/// in place). Every special file here is made in a private folder, never the system's.
extension FaultTests {
    static func kind(_ path: String) -> mode_t {
        var status = stat()
        return lstat(path, &status) == 0 ? status.st_mode & S_IFMT : 0
    }

    /// `export` through a symbolic link writes the file it names; the link stays a link.
    @Test func aSymbolicLinkIsFollowed() throws {
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let link = folder.appendingPathComponent("link.csv").path
        let real = folder.appendingPathComponent("real.csv").path
        try "old\n".write(toFile: real, atomically: false, encoding: .utf8)
        #expect(symlink("real.csv", link) == 0)
        let run = try NNBinary.run(["-e", "export [[1, 2]] \"\(link)\""])
        #expect(run.status == 0, "\(run)")
        #expect(Self.kind(link) == S_IFLNK)
        #expect(try String(contentsOfFile: real, encoding: .utf8) == "x1,x2\n1,2\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["link.csv", "real.csv"])
    }

    /// A file with two names keeps both: the write goes into it, not over one of its names.
    @Test func aHardLinkIsNotSplit() throws {
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = folder.appendingPathComponent("a.csv").path
        let second = folder.appendingPathComponent("b.csv").path
        try "old\n".write(toFile: first, atomically: false, encoding: .utf8)
        #expect(link(first, second) == 0)
        let run = try NNBinary.run(["-e", "export [[3]] \"\(first)\""])
        #expect(run.status == 0, "\(run)")
        #expect(try String(contentsOfFile: second, encoding: .utf8) == "x1\n3\n")
    }

    /// A named pipe with a reader gets the bytes and stays a pipe; one with no reader is
    /// refused at once instead of hanging.
    @Test func aNamedPipeIsWrittenInPlaceOrRefused() throws {
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let fifo = folder.appendingPathComponent("pipe.csv").path
        #expect(mkfifo(fifo, 0o644) == 0)
        let refused = try NNBinary.run(["-e", "export [[1]] \"\(fifo)\""])
        #expect(refused.standardError.contains("<-e>:1:14: error: cannot write '\(fifo)': nothing is reading from it"), "\(refused)")
        #expect(refused.status == 1)

        let received = folder.appendingPathComponent("received").path
        let command = "cat '\(fifo)' > '\(received)' & sleep 0.5; '\(NNBinary.executable.path)' -e 'export [[4, 5]] \"\(fifo)\"'; wait"
        let run = try NNBinary.run(["-c", command], executable: URL(fileURLWithPath: "/bin/bash"))
        #expect(run.status == 0, "\(run)")
        #expect(try String(contentsOfFile: received, encoding: .utf8) == "x1,x2\n4,5\n")
        #expect(Self.kind(fifo) == S_IFIFO)
    }

    /// A private copy of /dev/null and /dev/full (made with mknod where the system lets us):
    /// the devices stay devices, and a write that fails says why.
    @Test func aDeviceIsWrittenInPlace() throws {
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let null = folder.appendingPathComponent("null").path
        let full = folder.appendingPathComponent("full").path
        guard mknod(null, S_IFCHR | 0o666, dev_t((1 << 8) | 3)) == 0, mknod(full, S_IFCHR | 0o666, dev_t((1 << 8) | 7)) == 0 else {
            return  // no CAP_MKNOD here: nothing to test with
        }
        let quiet = try NNBinary.run(["-e", "input 2; layer 1; save \"\(null)\"; export [1] \"\(null)\""])
        #expect(quiet.status == 0, "\(quiet)")
        #expect(Self.kind(null) == S_IFCHR)

        let failed = try NNBinary.run(["-e", "export [1] \"\(full)\""])
        #expect(failed.standardError.contains("<-e>:1:12: error: cannot write '\(full)': no space left on device"), "\(failed)")
        #expect(failed.status == 1)
        #expect(Self.kind(full) == S_IFCHR)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["full", "null"])
    }

    /// `NN_HISTORY` naming something that is not a regular file (a pipe here, `/dev/null` in
    /// life) keeps no history and leaves the thing alone.
    @Test func historyIsNotSavedToASpecialFile() throws {
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let fifo = folder.appendingPathComponent("history").path
        #expect(mkfifo(fifo, 0o644) == 0)
        var history = History(path: fifo)
        #expect(history.add("print 1") == nil)
        #expect(Self.kind(fifo) == S_IFIFO)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["history"])
    }

    /// A regular file the user may not write is refused, not replaced (root may write anything).
    @Test func aReadOnlyFileIsRefused() throws {
        guard geteuid() != 0 else { return }
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("locked.csv").path
        try "old\n".write(toFile: path, atomically: false, encoding: .utf8)
        #expect(chmod(path, 0o444) == 0)
        let run = try NNBinary.run(["-e", "export [1] \"\(path)\""])
        #expect(run.standardError.contains("error: cannot write '\(path)': permission denied"), "\(run)")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old\n")
    }

    // MARK: - Empty data

    /// Data without samples is refused where it is given, so nothing later divides by zero.
    @Test func emptyArraysAreRefused() throws {
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let x = folder.appendingPathComponent("x.npy").path
        let y = folder.appendingPathComponent("y.npy").path
        try Self.npy(rows: 0, columns: 2, values: []).write(to: URL(fileURLWithPath: x))
        try Self.npy(rows: 0, columns: 1, values: []).write(to: URL(fileURLWithPath: y))
        for command in ["train", "loss", "step", "gradcheck", "evaluate", "normalize", "print loss"] {
            let run = try NNBinary.run(["-i", "-e", "input 2; layer 1"], input: "data x=\"\(x)\" y=\"\(y)\"\n\(command)\nprint 7\n")
            #expect(run.standardError.contains("<repl>:1:8: error: the data is empty: x has 0 rows; nn needs at least one sample with at least one input and one target"), "\(run)")
            #expect(run.standardOutput.hasSuffix("7\n"), "\(command): \(run)")
            #expect(run.status == 0, "\(command): \(run)")
        }
        let zeroColumns = folder.appendingPathComponent("x0.npy").path
        try Self.npy(rows: 0, columns: 0, values: []).write(to: URL(fileURLWithPath: zeroColumns))
        let run = try NNBinary.run(["-e", "data x=\"\(zeroColumns)\" y=\"\(y)\""])
        #expect(run.standardError.contains("error: the data is empty: x has 0 rows"), "\(run)")
        #expect(run.status == 1)
    }
}

/// File names that are not UTF-8: a script named so on the command line runs (nn opens the
/// bytes it was given), and a string in the script, which is UTF-8, cannot spell one, so a
/// missing file says the folder holds such names.
extension FaultTests {
    @Test func aScriptWhoseNameIsNotUTF8Runs() throws {
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let command = """
            cd '\(folder.path)' && name=$(printf 'caf\\351') && printf 'print 42\\n' > "$name.nn" \
            && printf 'a,y\\n1,0\\n' > "$name.csv" && printf 'data "café.csv"\\n' > other.nn \
            && '\(NNBinary.executable.path)' "$name.nn" && '\(NNBinary.executable.path)' other.nn
            """
        let run = try NNBinary.run(["-c", command], executable: URL(fileURLWithPath: "/bin/bash"))
        #expect(run.standardOutput == "42\n", "\(run)")
        #expect(run.standardError.hasPrefix("other.nn:1:6: error: cannot open 'café.csv': no such file or directory (the folder has 2 file names that are not UTF-8"), "\(run)")
        #expect(run.status == 1)
    }
}

/// A link to a pipe names no path (`/dev/stdout` on a pipe reads "pipe:[…]"): it is written in
/// place through the link, not followed to a file that cannot be made.
extension FaultTests {
    @Test func aLinkToAPipeIsWrittenThrough() throws {
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let command = """
            cd '\(folder.path)' && ln -s /proc/self/fd/1 out.csv \
            && '\(NNBinary.executable.path)' -e 'export [1, 2] "out.csv"' | cat
            """
        let run = try NNBinary.run(["-c", command], executable: URL(fileURLWithPath: "/bin/bash"))
        #expect(run.standardOutput == "x1,x2\n1,2\nsaved out.csv\n", "\(run)")
        #expect(run.standardError.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["out.csv"])
    }
}
