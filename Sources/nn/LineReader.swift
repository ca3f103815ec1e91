#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NNLang

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
    /// How many bytes at the start of `buffered` are known to hold no newline.
    private var scanned = 0
    /// Whether the rest of a line cut at `lineLimit` is being dropped.
    private var skippingRestOfLine = false
    private var reachedEnd = false

    /// The longest line kept: a longer one (`cat /dev/zero | nn -i`) is cut there, so that the
    /// parser refuses it as too large, and the rest of it, up to its newline, is dropped.
    static let lineLimit = Parser.maximumSourceSize

    init(descriptor: Int32 = 0) {
        self.descriptor = descriptor
    }

    mutating func readLine(prompt: String) -> LineInput {
        Interrupts.clear()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            if let newline = buffered[scanned...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffered[..<newline], as: UTF8.self)
                buffered.removeSubrange(...newline)
                scanned = 0
                if skippingRestOfLine {
                    skippingRestOfLine = false
                    continue
                }
                return .line(line)
            }
            scanned = buffered.count
            if skippingRestOfLine {
                buffered = []
                scanned = 0
            } else if buffered.count > Self.lineLimit {
                defer { (buffered, scanned, skippingRestOfLine) = ([], 0, true) }
                return .line(String(decoding: buffered.prefix(Self.lineLimit + 1), as: UTF8.self))
            }
            if reachedEnd {
                guard !buffered.isEmpty else { return .endOfInput }
                defer { (buffered, scanned) = ([], 0) }
                return .line(String(decoding: buffered, as: UTF8.self))
            }
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR {
                    guard Interrupts.pending else { continue }
                    (buffered, scanned, skippingRestOfLine) = ([], 0, false)
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
