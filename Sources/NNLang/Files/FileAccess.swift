#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NNEngine

/// What can go wrong opening, reading or writing a file, worded for a diagnostic.
public enum FileError: Error, Equatable, Sendable {
    /// `reason` is the system's wording, lowercased: "no such file or directory".
    case cannotOpen(path: String, reason: String)
    case cannotRead(path: String, reason: String)
    case isDirectory(path: String)
    case tooLarge(path: String, limit: Int)
    case cannotWrite(path: String, reason: String)

    public var message: String {
        switch self {
        case .cannotOpen(let path, let reason): "cannot open '\(path)': \(reason)"
        case .cannotRead(let path, let reason): "cannot read '\(path)': \(reason)"
        case .isDirectory(let path): "'\(path)' is a folder, not a file"
        case .tooLarge(let path, let limit): "'\(path)' is larger than \(limit) bytes"
        case .cannotWrite(let path, let reason): "cannot write '\(path)': \(reason)"
        }
    }
}

/// Whole-file reads and atomic whole-file writes, on the C library (no Foundation, for start-up time).
public enum FileAccess {
    /// The largest file `readFile` reads unless told otherwise: 2 GiB.
    public static let defaultSizeLimit = 1 << 31

    /// Every byte of the file at `path`.
    public static func readFile(_ path: String, sizeLimit: Int = defaultSizeLimit) -> Result<[UInt8], FileError> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let missing = errno == ENOENT
            return .failure(.cannotOpen(path: path, reason: systemReason() + (missing ? namesNotUTF8Hint(besides: path) : "")))
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return .failure(.cannotRead(path: path, reason: systemReason())) }
        if (status.st_mode & S_IFMT) == S_IFDIR { return .failure(.isDirectory(path: path)) }
        return readAll(descriptor, size: Int(status.st_size), path: path, sizeLimit: sizeLimit)
    }

    /// Every byte left in the open file `descriptor` of `size` bytes (0 when its size is not known).
    static func readAll(_ descriptor: Int32, size expectedSize: Int, path: String, sizeLimit: Int) -> Result<[UInt8], FileError> {
        if expectedSize > sizeLimit { return .failure(.tooLarge(path: path, limit: sizeLimit)) }

        // A regular file is read straight into an array of its size; then, or for a pipe or a
        // device, whatever more there is a block at a time.
        var failed = false
        var bytes = [UInt8](unsafeUninitializedCapacity: expectedSize) { buffer, initialized in
            if let base = buffer.baseAddress { HugePages.advise(base, byteCount: buffer.count) }
            guard let count = readFully(descriptor, into: UnsafeMutableRawBufferPointer(buffer)) else { failed = true; return }
            initialized = count
        }
        if failed { return .failure(.cannotRead(path: path, reason: systemReason())) }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(.cannotRead(path: path, reason: systemReason()))
            }
            if count == 0 { break }
            if bytes.count + count > sizeLimit { return .failure(.tooLarge(path: path, limit: sizeLimit)) }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return .success(bytes)
    }

    /// Reads from `descriptor` until `buffer` is full or the file ends: the bytes read, or nil
    /// on an error (`errno` says which).
    static func readFully(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Int? {
        var filled = 0
        while filled < buffer.count, let base = buffer.baseAddress {
            let count = read(descriptor, base + filled, min(buffer.count - filled, 1 << 30))
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if count == 0 { break }
            filled += count
        }
        return filled
    }

    /// Writes `bytes` to `path`; what is there decides how (see `WriteTarget`).
    ///
    /// A regular file (or a new one) is replaced atomically: it is either the old file or the
    /// whole new one, never a mixture or an empty file, even if nn is killed or the power
    /// fails. A symbolic link is followed and its target written. A hard-linked file, a
    /// device or a named pipe is written in place, so the link, the device or the pipe stays
    /// what it was (a pipe nobody reads is refused, not waited on). A file the user may not
    /// write is refused. A new file gets `newFileMode`; a replaced file keeps its own.
    public static func writeFile(_ path: String, _ bytes: [UInt8], newFileMode: mode_t = 0o644) -> Result<Void, FileError> {
        switch WriteTarget.of(path) {
        case .failure(let error): return .failure(error)
        case .success(.newFile(let resolved)): return replaceAtomically(resolved, shownAs: path, bytes, mode: newFileMode)
        case .success(.regularFile(let resolved, let mode)): return replaceAtomically(resolved, shownAs: path, bytes, mode: mode)
        case .success(.inPlace(let resolved, let isRegular)): return writeInPlace(resolved, shownAs: path, bytes, truncating: isRegular)
        }
    }

    /// Writes a temporary file in the same folder (so the rename cannot cross file systems),
    /// flushes it to disk, then renames it over `path`.
    ///
    /// The temporary file is locked (`flock`) while it is written, and the lock dies with the
    /// process, however it ends: a temporary file of the same target that nobody holds locked
    /// was left by a save that was killed, and is removed first.
    private static func replaceAtomically(_ path: String, shownAs shownPath: String, _ bytes: [UInt8], mode: mode_t) -> Result<Void, FileError> {
        let (folder, fileName) = split(path)
        removeStaleTemporaryFiles(in: folder, of: fileName)
        var template = Array("\(folder)/\(temporaryPrefix(of: fileName))XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { return .failure(.cannotWrite(path: shownPath, reason: systemReason())) }
        let temporaryPath = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // The lock is held on a descriptor of its own, so that it outlives the writing
        // descriptor's close and covers the rename.
        let lockDescriptor = open(temporaryPath, O_RDONLY | O_CLOEXEC)
        if lockDescriptor >= 0 { _ = flock(lockDescriptor, LOCK_EX | LOCK_NB) }
        defer { if lockDescriptor >= 0 { close(lockDescriptor) } }

        func fail() -> Result<Void, FileError> {
            let reason = systemReason()
            close(descriptor)
            unlink(temporaryPath)
            return .failure(.cannotWrite(path: shownPath, reason: reason))
        }

        guard fchmod(descriptor, mode) == 0 else { return fail() }
        guard writeAll(descriptor, bytes) else { return fail() }
        guard fsync(descriptor) == 0 else { return fail() }
        guard close(descriptor) == 0 else {
            let reason = systemReason()
            unlink(temporaryPath)
            return .failure(.cannotWrite(path: shownPath, reason: reason))
        }
        guard rename(temporaryPath, path) == 0 else {
            let reason = systemReason()
            unlink(temporaryPath)
            return .failure(.cannotWrite(path: shownPath, reason: reason))
        }
        // Make the rename itself durable; the data is safe either way, so failure here is not reported.
        let folderDescriptor = open(folder, O_RDONLY | O_CLOEXEC)
        if folderDescriptor >= 0 {
            fsync(folderDescriptor)
            close(folderDescriptor)
        }
        return .success(())
    }

    /// The start of the name of a temporary file written for `fileName`: `.m.nnm.tmp-`.
    static func temporaryPrefix(of fileName: String) -> String { ".\(fileName).tmp-" }

    /// Removes the temporary files of `fileName` in `folder` that no save holds locked: those
    /// of a save that was killed. Best effort: what cannot be removed is left.
    static func removeStaleTemporaryFiles(in folder: String, of fileName: String) {
        let prefix = temporaryPrefix(of: fileName)
        guard let directory = opendir(folder) else { return }
        defer { closedir(directory) }
        var stale: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            // mkstemp's suffix is six characters.
            guard name.hasPrefix(prefix), name.utf8.count == prefix.utf8.count + 6 else { continue }
            stale.append(folder + "/" + name)
        }
        for candidate in stale {
            let descriptor = open(candidate, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
            guard descriptor >= 0 else { continue }
            var status = stat()
            if fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG, status.st_uid == geteuid(),
               flock(descriptor, LOCK_EX | LOCK_NB) == 0 {
                unlink(candidate)
            }
            close(descriptor)
        }
    }

    /// Opens what is at `path` without creating or replacing it and writes `bytes` into it:
    /// a hard-linked file (truncated first), a device, a named pipe.
    private static func writeInPlace(_ path: String, shownAs shownPath: String, _ bytes: [UInt8], truncating: Bool) -> Result<Void, FileError> {
        // Non-blocking open: a named pipe with no reader fails at once (ENXIO) instead of waiting.
        let descriptor = open(path, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | (truncating ? O_TRUNC : 0))
        guard descriptor >= 0 else {
            let reason = errno == ENXIO ? "nothing is reading from it" : systemReason()
            return .failure(.cannotWrite(path: shownPath, reason: reason))
        }
        let flags = fcntl(descriptor, F_GETFL)
        if flags >= 0 { _ = fcntl(descriptor, F_SETFL, flags & ~O_NONBLOCK) }
        guard writeAll(descriptor, bytes) else {
            let reason = systemReason()
            close(descriptor)
            return .failure(.cannotWrite(path: shownPath, reason: reason))
        }
        if truncating, fsync(descriptor) != 0 {
            let reason = systemReason()
            close(descriptor)
            return .failure(.cannotWrite(path: shownPath, reason: reason))
        }
        guard close(descriptor) == 0 else { return .failure(.cannotWrite(path: shownPath, reason: systemReason())) }
        return .success(())
    }

    /// Writes every byte, retrying short writes and EINTR; false with `errno` set on failure.
    private static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) -> Bool {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                write(descriptor, buffer.baseAddress! + written, buffer.count - written)
            }
            if count < 0 {
                if errno == EINTR { continue }
                return false
            }
            written += count
        }
        return true
    }

    /// The folder and the file name of `path`: "a/b.csv" -> ("a", "b.csv"), "b.csv" -> (".", "b.csv").
    static func split(_ path: String) -> (folder: String, fileName: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let folder = String(path[..<slash])
        return (folder.isEmpty ? "/" : folder, String(path[path.index(after: slash)...]))
    }

    /// File names are text: a string in nn is UTF-8, and a file is opened by the UTF-8 bytes of
    /// its name, so a name that is not UTF-8 (Latin-1 `caf\xE9.csv` from an old system) cannot be
    /// written in nn. When a file is missing and its folder holds such names, this says so,
    /// since the file the user means may be one of them; otherwise "".
    static func namesNotUTF8Hint(besides path: String) -> String {
        let folder = split(path).folder
        guard let directory = opendir(folder) else { return "" }
        defer { closedir(directory) }
        var count = 0
        while let entry = readdir(directory), count < 1_000 {
            let valid = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(validating: bytes.prefix { $0 != 0 }, as: UTF8.self) != nil
            }
            if !valid { count += 1 }
        }
        guard count > 0 else { return "" }
        let (names, them) = count == 1 ? ("a file name that is", "it") : ("\(count) file names that are", "them")
        return " (the folder has \(names) not UTF-8, which nn cannot spell: rename \(them) to UTF-8, for example with convmv)"
    }

    /// The current `errno` as the system words it, first letter lowercased.
    static func systemReason() -> String {
        let code = errno
        guard let text = strerror(code) else { return "error \(code)" }
        let reason = String(cString: text)
        return reason.prefix(1).lowercased() + reason.dropFirst()
    }
}
