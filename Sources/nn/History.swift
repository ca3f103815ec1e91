#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NNLang

/// The prompt's lasting history: one line per entry in a plain text file, rewritten after every
/// line through a temporary file and a rename, so a crash or a kill loses nothing and never
/// leaves half a file.
struct History {
    /// The default cap on entries kept.
    static let defaultLimit = 1_000

    /// Where history is kept: `$NN_HISTORY`, else `~/.nn_history`; nil when neither is known.
    static func defaultPath(environment: [String: String]) -> String? {
        if let path = environment["NN_HISTORY"], !path.isEmpty { return path }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.nn_history" }
        return nil
    }

    let path: String?
    let limit: Int
    private(set) var entries: [String] = []
    /// Set once saving has failed, so the warning is given once.
    private(set) var saveFailed = false

    /// Loads the history at `path`; a missing or unreadable file is an empty history.
    init(path: String?, limit: Int = History.defaultLimit) {
        self.path = path
        self.limit = limit
        if let path, History.isRegularFileOrMissing(path), case .success(let text) = StandardStreams.readFile(at: path) {
            entries = Array(text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init).suffix(limit))
        }
    }

    /// Records a line unless it is blank or repeats the last entry, then saves. Returns a
    /// warning the first time saving fails, nil otherwise.
    mutating func add(_ line: String) -> String? {
        guard accepts(line) else { return nil }
        entries.append(line)
        if entries.count > limit { entries.removeFirst(entries.count - limit) }
        return save()
    }

    /// Whether `add` would record the line (for the line editor's own in-memory list).
    func accepts(_ line: String) -> Bool {
        !line.allSatisfy(\.isWhitespace) && line != entries.last && !line.contains("\n")
    }

    /// Saves through `FileAccess.writeFile` (an unpredictable temporary name, a rename, a
    /// symbolic link followed). Only to a regular file: `NN_HISTORY=/dev/null`, the usual way
    /// to keep no history, or a pipe or a device, is left alone and nothing is kept.
    private mutating func save() -> String? {
        guard let path, !saveFailed else { return nil }
        guard History.isRegularFileOrMissing(path) else { return nil }
        let text = entries.joined(separator: "\n") + "\n"
        guard case .failure(let error) = FileAccess.writeFile(path, Array(text.utf8), newFileMode: 0o600) else { return nil }
        saveFailed = true
        let reason = if case .cannotWrite(_, let reason) = error { reason } else { error.message }
        return "cannot save history to '\(path)': \(reason); this session's lines will not be kept"
    }

    /// Whether `path` (a symbolic link followed) is a regular file or nothing: history is read
    /// and written only then, so a pipe is never waited on and a device never replaced.
    static func isRegularFileOrMissing(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) != 0 || (status.st_mode & S_IFMT) == S_IFREG
    }
}
