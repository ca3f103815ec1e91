#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Buffered writes to a file descriptor. Writes that fail (a closed pipe) are dropped quietly:
/// `nn … | head -1` must end without a trace.
final class OutputStream: @unchecked Sendable {
    // Unchecked: nn is single-threaded; the two streams are shared only for convenience.
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private let flushesEveryWrite: Bool

    init(descriptor: Int32, flushesEveryWrite: Bool) {
        self.descriptor = descriptor
        self.flushesEveryWrite = flushesEveryWrite
    }

    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if flushesEveryWrite || buffer.count >= 1 << 16 { flush() }
    }

    func flush() {
        var offset = 0
        while offset < buffer.count {
            let written = buffer[offset...].withUnsafeBytes { bytes in
                Glibc.write(descriptor, bytes.baseAddress, bytes.count)
            }
            if written < 0 {
                if errno == EINTR { continue }
                break  // EPIPE and the like: nobody is reading
            }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Standard output and error, and reading whole files.
enum StandardStreams {
    /// Standard output, flushed at every line when a person is watching a terminal.
    static let output = OutputStream(descriptor: 1, flushesEveryWrite: isatty(1) == 1)
    static let error = OutputStream(descriptor: 2, flushesEveryWrite: true)

    struct ReadFailure: Error {
        var reason: String
    }

    /// A whole file as text; bytes that are not UTF-8 become U+FFFD, which the lexer reports.
    static func readFile(at path: String) -> Result<String, ReadFailure> {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return .failure(ReadFailure(reason: lastErrorText())) }
        defer { close(descriptor) }
        var status = stat()
        if fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR {
            return .failure(ReadFailure(reason: "it is a directory"))
        }
        guard let bytes = readAll(descriptor) else { return .failure(ReadFailure(reason: lastErrorText())) }
        return .success(String(decoding: bytes, as: UTF8.self))
    }

    /// The entries of a folder ("" for the current one), folders marked with a trailing "/",
    /// for completing paths; an unreadable folder has none.
    static func listDirectory(_ path: String) -> [String] {
        guard let directory = opendir(path.isEmpty ? "." : path) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            var status = stat()
            let full = (path.isEmpty ? "" : path) + name
            let isFolder = stat(full, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
            names.append(isFolder ? name + "/" : name)
        }
        return names
    }

    /// All of standard input as text.
    static func readStandardInput() -> String {
        String(decoding: readAll(0) ?? [], as: UTF8.self)
    }

    private static func readAll(_ descriptor: Int32) -> [UInt8]? {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }

    private static func lastErrorText() -> String {
        let text = String(cString: strerror(errno))
        return text.prefix(1).lowercased() + text.dropFirst()
    }
}
