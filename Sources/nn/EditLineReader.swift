#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CEditLine
import NNLang

/// Line editing, history and completion at a terminal, through libedit.
///
/// libedit's keys apply (arrows, Ctrl-A/E/U/K/W, Ctrl-R) and `~/.editrc` configures them under
/// the program name `nn`. Tab asks the `Completer`; a second Tab lists the candidates.
final class EditLineReader: LineReader {
    private var history: History
    private let warn: (String) -> Void

    /// The completer libedit's C callback reaches. libedit calls back without a context
    /// pointer, so it must be global; only the one reader of the one prompt sets it.
    nonisolated(unsafe) static var activeCompleter: Completer?

    init(completer: Completer, history: History, warn: @escaping (String) -> Void) {
        self.history = history
        self.warn = warn
        nn_editline_configure("nn", Completer.wordBreakCharacters)
        EditLineReader.activeCompleter = completer
        nn_editline_set_completion(editLineComplete)
        for entry in history.entries { nn_editline_add_history(entry) }
    }

    func readLine(prompt: String) -> LineInput {
        Interrupts.clear()
        guard let pointer = CEditLine.readline(prompt) else {
            return Interrupts.pending ? .interrupted : .endOfInput
        }
        defer { free(pointer) }
        return .line(String(cString: pointer))
    }

    func remember(_ line: String) {
        guard history.accepts(line) else { return }
        nn_editline_add_history(line)
        if let warning = history.add(line) { warn(warning) }
    }
}

/// libedit's completion callback: the whole line up to the cursor goes to the completer, and
/// its candidates come back as a malloc'd, NULL-terminated array whose first entry replaces the
/// word (their longest common prefix), as readline's interface wants.
private func editLineComplete(
    _ text: UnsafePointer<CChar>?, _ start: Int32, _ end: Int32
) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
    guard let completer = EditLineReader.activeCompleter, let line = nn_editline_line() else {
        nn_editline_completion_done(0)
        return nil
    }
    // libedit counts positions in characters, not bytes.
    let scalars = Array(String(cString: line).unicodeScalars)
    var prefix = String.UnicodeScalarView()
    prefix.append(contentsOf: scalars.prefix(max(0, Int(end))))
    let completion = completer.complete(String(prefix))
    nn_editline_completion_done(Int32(completion.terminator.utf8.first ?? 0))
    guard !completion.candidates.isEmpty else { return nil }

    // [common prefix, candidate…, NULL], plus one more NULL: libedit looks at matches[2] even
    // when there is a single match (a single match is therefore given as [it, it]).
    let entries = [longestCommonPrefix(completion.candidates)] + completion.candidates
    let capacity = entries.count + 2
    guard let raw = calloc(capacity, MemoryLayout<UnsafeMutablePointer<CChar>?>.stride) else { return nil }
    let array = raw.bindMemory(to: UnsafeMutablePointer<CChar>?.self, capacity: capacity)
    for (index, entry) in entries.enumerated() { array[index] = strdup(entry) }
    return array
}

private func longestCommonPrefix(_ words: [String]) -> String {
    guard var prefix = words.first else { return "" }
    for word in words.dropFirst() {
        while !word.hasPrefix(prefix) { prefix.removeLast() }
    }
    return prefix
}
