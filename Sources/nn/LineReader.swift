/// Where interactive input comes from, one line at a time.
///
/// The plain reader serves pipes and dumb terminals; a line-editing reader (libedit) can take
/// its place without the driver changing.
protocol LineReader {
    /// The next line without its newline, or nil at end of input.
    mutating func readLine(prompt: String) -> String?
}

/// Reads lines from standard input, showing the prompt only when a person is at a terminal.
struct PlainLineReader: LineReader {
    var showsPrompt: Bool

    mutating func readLine(prompt: String) -> String? {
        if showsPrompt {
            StandardStreams.output.write(prompt)
            StandardStreams.output.flush()
        }
        return Swift.readLine(strippingNewline: true)
    }
}
