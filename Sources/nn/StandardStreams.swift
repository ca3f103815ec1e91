#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NNLang

/// Buffered writes to a file descriptor, flushed at every line. The first write that fails
/// is remembered (`failure`) and every later one dropped: the driver stops the program and
/// says why on standard error (a closed pipe, `nn … | head -1`, ends it quietly).
final class OutputStream: @unchecked Sendable {
    // Unchecked: nn is single-threaded; the two streams are shared only for convenience.
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    /// The `errno` of the first write that failed.
    private(set) var failure: Int32?

    private let flushesEveryWrite: Bool

    init(descriptor: Int32, flushesEveryWrite: Bool = false) {
        self.descriptor = descriptor
        self.flushesEveryWrite = flushesEveryWrite
    }

    /// Line-buffered at least, whatever the output is (a terminal, a pipe, a file), so that a
    /// kill or a crash loses at most the line being written.
    func write(_ text: String) {
        guard failure == nil else { return }
        buffer.append(contentsOf: text.utf8)
        if flushesEveryWrite || text.utf8.contains(10) || buffer.count >= 1 << 16 { flush() }
    }

    func flush() {
        var offset = 0
        while failure == nil, offset < buffer.count {
            let written = buffer[offset...].withUnsafeBytes { bytes in
                Glibc.write(descriptor, bytes.baseAddress, bytes.count)
            }
            if written < 0 {
                if errno == EINTR { continue }
                failure = errno  // EPIPE: nobody is reading; ENOSPC, EIO: the output is lost
            } else {
                offset += written
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Records a failure found before anything was written (the descriptor was closed).
    func fail(_ code: Int32) {
        if failure == nil { failure = code }
    }

    /// Whether the reader went away (a closed pipe): the one failure that is not reported.
    var readerWentAway: Bool { failure == EPIPE }

    /// The failure as the system words it, first letter lowercased.
    var failureReason: String? {
        failure.map { code in
            let text = String(cString: strerror(code))
            return text.prefix(1).lowercased() + text.dropFirst()
        }
    }
}

/// Standard output and error, and reading whole files.
enum StandardStreams {
    /// Standard output: flushed at every write when a person is watching a terminal (the live
    /// progress line has no newline), at every line otherwise.
    static let output = OutputStream(descriptor: 1, flushesEveryWrite: isatty(1) == 1)
    static let error = OutputStream(descriptor: 2, flushesEveryWrite: true)

    /// Opens /dev/null on standard input, output or error where they were closed (`nn >&-`),
    /// so that no file nn opens later takes their number; a closed standard output is a
    /// failed write from the start.
    static func guardClosedDescriptors() {
        for descriptor: Int32 in 0...2 where fcntl(descriptor, F_GETFD) == -1 && errno == EBADF {
            _ = open("/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY)  // the lowest free number: this one
            if descriptor == 1 { output.fail(EBADF) }
        }
    }

    struct ReadFailure: Error {
        var reason: String
    }

    /// A whole file as text; bytes that are not UTF-8 become U+FFFD, which the lexer reports at
    /// its line and column wherever it stands (a byte order mark at the start it skips).
    ///
    /// A path given on the command line is opened by its bytes as given (`rawArgument`), so a
    /// script whose name is not UTF-8 runs; nn shows that name with U+FFFD in its place.
    static func readFile(at path: String) -> Result<String, ReadFailure> {
        let descriptor = rawArgument(decodingTo: path).map { open($0, O_RDONLY) } ?? open(path, O_RDONLY)
        guard descriptor >= 0 else { return .failure(ReadFailure(reason: lastErrorText())) }
        defer { close(descriptor) }
        var status = stat()
        if fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR {
            return .failure(ReadFailure(reason: "it is a directory"))
        }
        // Not read at all when the parser would refuse it.
        if (status.st_mode & S_IFMT) == S_IFREG, Int(status.st_size) > Parser.maximumSourceSize {
            return .failure(ReadFailure(reason: "it is \(status.st_size) bytes, more than nn runs (\(Parser.maximumSourceSize) bytes)"))
        }
        guard let bytes = readAll(descriptor) else { return .failure(ReadFailure(reason: lastErrorText())) }
        return .success(String(decoding: bytes, as: UTF8.self))
    }

    /// The command-line argument, as the bytes the program was given, that Swift decoded (with
    /// U+FFFD for bytes that are not UTF-8) to `text`, when it is not valid UTF-8; nil otherwise.
    static func rawArgument(decodingTo text: String) -> [CChar]? {
        for index in 0..<Int(CommandLine.argc) {
            guard let argument = CommandLine.unsafeArgv[index] else { continue }
            let bytes = UnsafeBufferPointer(start: argument, count: strlen(argument)).map { UInt8(bitPattern: $0) }
            guard String(validating: bytes, as: UTF8.self) == nil, String(decoding: bytes, as: UTF8.self) == text else { continue }
            return bytes.map { CChar(bitPattern: $0) } + [0]
        }
        return nil
    }

    /// The entries of a folder ("" for the current one), folders marked with a trailing "/",
    /// for completing paths; an unreadable folder has none. Names that are not UTF-8 are left
    /// out: a string in nn cannot spell them, so completing one would give a name that opens nothing.
    static func listDirectory(_ path: String) -> [String] {
        guard let directory = opendir(path.isEmpty ? "." : path) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let decoded = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(validating: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard let name = decoded, name != ".", name != ".." else { continue }
            var status = stat()
            let full = (path.isEmpty ? "" : path) + name
            let isFolder = stat(full, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
            names.append(isFolder ? name + "/" : name)
        }
        return names
    }

    /// All of standard input as text (an unreadable one is empty), or nil when it holds more
    /// than nn runs: then only that much was read (`yes | nn` ends instead of filling memory).
    static func readStandardInput() -> String? {
        let bytes = readAll(0, limit: Parser.maximumSourceSize) ?? []
        return bytes.count > Parser.maximumSourceSize ? nil : String(decoding: bytes, as: UTF8.self)
    }

    /// Every byte to the end, or the first `limit` + 1 when there are more. Ctrl-C while it
    /// waits (a pipe that sends nothing) ends the reading there; the caller sees the flag.
    private static func readAll(_ descriptor: Int32, limit: Int = Int.max) -> [UInt8]? {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while bytes.count <= limit {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR && !Interrupts.pending { continue }
                return errno == EINTR ? bytes : nil
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return bytes
    }

    private static func lastErrorText() -> String {
        let text = String(cString: strerror(errno))
        return text.prefix(1).lowercased() + text.dropFirst()
    }
}
