#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What reading a line of interactive input gave.
enum LineInput: Equatable {
    case line(String)
    /// Ctrl-C at the prompt: drop what was being typed.
    case interrupted
    case endOfInput
}

/// Where interactive input comes from, one line at a time: libedit at a terminal, plain lines
/// otherwise. The driver does not know which.
protocol LineReader {
    mutating func readLine(prompt: String) -> LineInput
    /// Called with each line the session ran, for history.
    mutating func remember(_ line: String)
}

/// Reads lines from standard input with no prompt and no escape sequences, so that a program
/// piped to `nn -i` prints exactly what it would print run as a file.
///
/// Ctrl-C behaves as at libedit's prompt: the flag is cleared before each read, a read that
/// SIGINT ends (EINTR: the handler has no SA_RESTART) gives `.interrupted` and drops the part
/// of a line read so far, and the next call reads on. It reads the descriptor itself, not
/// through stdio, whose stream stays in error after an interrupted read.
struct PlainLineReader: LineReader {
    private let descriptor: Int32
    /// Bytes read past the end of the last line returned.
    private var buffered: [UInt8] = []
    private var reachedEnd = false

    init(descriptor: Int32 = 0) {
        self.descriptor = descriptor
    }

    mutating func readLine(prompt: String) -> LineInput {
        Interrupts.clear()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            if let newline = buffered.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffered[..<newline], as: UTF8.self)
                buffered.removeSubrange(...newline)
                return .line(line)
            }
            if reachedEnd {
                guard !buffered.isEmpty else { return .endOfInput }
                defer { buffered = [] }
                return .line(String(decoding: buffered, as: UTF8.self))
            }
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR {
                    guard Interrupts.pending else { continue }
                    buffered = []
                    return .interrupted
                }
                reachedEnd = true  // an unreadable input ends like an empty one
                continue
            }
            if count == 0 {
                reachedEnd = true
                continue
            }
            buffered.append(contentsOf: chunk[0..<count])
        }
    }

    mutating func remember(_ line: String) {}
}
