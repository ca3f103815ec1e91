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
struct PlainLineReader: LineReader {
    mutating func readLine(prompt: String) -> LineInput {
        Swift.readLine(strippingNewline: true).map(LineInput.line) ?? .endOfInput
    }

    mutating func remember(_ line: String) {}
}
