#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a write to a path would write to, and so how: the kind of file already there decides.
///
/// - nothing there: a new regular file, made atomically;
/// - a regular file with one name: replaced atomically, keeping its permissions;
/// - a symbolic link: followed (up to 40 links), and what it names decides; a pipe, socket or
///   device behind it is written in place through the link (`/dev/stdout` on a pipe);
/// - a regular file with several names (hard links), a character or block device, a named
///   pipe, a socket: written in place, so every name, the device or the pipe stays as it was;
/// - a folder is left to the atomic path, whose rename refuses it.
///
/// A file the user may not write (`access(W_OK)`, as an in-place write would find) is refused.
enum WriteTarget: Equatable {
    case newFile(path: String)
    case regularFile(path: String, mode: mode_t)
    case inPlace(path: String, isRegular: Bool)

    /// How many symbolic links are followed before giving up, as the kernel's ELOOP.
    static let linkLimit = 40

    static func of(_ path: String) -> Result<WriteTarget, FileError> {
        var current = path
        for _ in 0...linkLimit {
            var status = stat()
            guard lstat(current, &status) == 0 else {
                if errno == ENOENT { return .success(.newFile(path: current)) }
                return .failure(.cannotWrite(path: path, reason: FileAccess.systemReason()))
            }
            let kind = status.st_mode & S_IFMT
            switch kind {
            case S_IFLNK:
                // A pipe, socket or device behind the link is written in place through it: the
                // link may name no path at all (`/dev/stdout` on a pipe reads "pipe:[…]").
                var behind = stat()
                if stat(current, &behind) == 0, ![S_IFREG, S_IFDIR].contains(behind.st_mode & S_IFMT) {
                    guard access(current, W_OK) == 0 else {
                        return .failure(.cannotWrite(path: path, reason: FileAccess.systemReason()))
                    }
                    return .success(.inPlace(path: current, isRegular: false))
                }
                guard let destination = readLink(current) else {
                    return .failure(.cannotWrite(path: path, reason: FileAccess.systemReason()))
                }
                current = destination.hasPrefix("/") ? destination : FileAccess.split(current).folder + "/" + destination
                continue
            case S_IFDIR:
                return .success(.regularFile(path: current, mode: status.st_mode & 0o7777))
            default:
                guard access(current, W_OK) == 0 else {
                    return .failure(.cannotWrite(path: path, reason: FileAccess.systemReason()))
                }
                if kind == S_IFREG, status.st_nlink <= 1 {
                    return .success(.regularFile(path: current, mode: status.st_mode & 0o7777))
                }
                return .success(.inPlace(path: current, isRegular: kind == S_IFREG))
            }
        }
        return .failure(.cannotWrite(path: path, reason: "too many levels of symbolic links"))
    }

    /// The text of the symbolic link at `path`, or nil with `errno` set.
    private static func readLink(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
