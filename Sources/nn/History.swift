#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
        if let path, case .success(let text) = StandardStreams.readFile(at: path) {
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

    private mutating func save() -> String? {
        guard let path, !saveFailed else { return nil }
        let temporary = path + ".tmp-\(getpid())"
        let text = entries.joined(separator: "\n") + "\n"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var failure: String?
        if descriptor < 0 {
            failure = String(cString: strerror(errno))
        } else {
            let bytes = Array(text.utf8)
            let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written != bytes.count { failure = String(cString: strerror(errno)) }
            if close(descriptor) != 0, failure == nil { failure = String(cString: strerror(errno)) }
            if failure == nil, rename(temporary, path) != 0 { failure = String(cString: strerror(errno)) }
            if failure != nil { unlink(temporary) }
        }
        guard let failure else { return nil }
        saveFailed = true
        return "cannot save history to '\(path)': \(failure.prefix(1).lowercased() + failure.dropFirst()); this session's lines will not be kept"
    }
}
