import Foundation  // JSONSerialization only

/// `nn --serve`: one session driven by requests, one JSON object a line, answered in replies of
/// the same kind (`docs/serve-protocol.md`). A notebook kernel sits on the other end.
///
/// The server runs cells through the same `Session.run` as scripts and the prompt; what differs
/// is only where things go: text in `stream` replies, each picture as SVG through
/// `Session.emitPicture`, training progress through `Session.emitProgress`, and diagnostics as
/// data. It knows nothing of streams or signals: the executable reads the lines, sends what
/// `send` is given, and turns interrupts into `Session.interruptRequested`.
public final class SessionServer {
    /// The longest request line read whole; a longer one is refused and skipped.
    public static let maximumRequestLength = 16 << 20
    /// Diagnostics sent for one cell; a garbage cell's hundreds of syntax errors are counted.
    public static let diagnosticLimit = 20
    /// Text is held back at most this long before a `stream` reply carries it.
    static let streamInterval = 0.2

    public let session: Session
    private let send: (String) -> Void
    private let listDirectory: (String) -> [String]
    private let renderer = DiagnosticRenderer(palette: .plain)

    // The cell running now: its request id and the text not yet sent.
    private var cellID: Any = NSNull()
    private var pendingText = ""
    private var lastStream = ContinuousClock.now
    /// Displays opened by pictures that later frames replace (`train … watch=`), for their ids.
    private var displays = 0

    /// - Parameters:
    ///   - session: the session every cell runs in; its output and picture and progress hooks
    ///     are the server's from now on.
    ///   - listDirectory: a folder's entries, for completing file names in strings.
    ///   - send: receives each reply, one line of JSON without its newline.
    public init(session: Session, listDirectory: @escaping (String) -> [String] = { _ in [] }, send: @escaping (String) -> Void) {
        self.session = session
        self.send = send
        self.listDirectory = listDirectory
        session.output = { [unowned self] text in self.stream(text) }
        session.emitPicture = { [unowned self] svg in
            self.flushText()
            self.reply(["type": "picture", "mime": "image/svg+xml", "data": svg])
        }
        session.emitPictureUpdate = { [unowned self] update in
            self.flushText()
            if update.isFirst { self.displays += 1 }
            self.reply(["type": "picture", "mime": "image/svg+xml", "data": update.svg,
                        "display_id": "nn-display-\(self.displays)", "update": !update.isFirst])
        }
        session.emitProgress = { [unowned self] update in
            self.flushText()
            self.reply(["type": "progress", "epoch": update.epoch, "epochs": update.epochs, "text": update.text])
        }
    }

    /// The first reply of a session, before any request: who is answering.
    public func greet(version: String) {
        write(["type": "ready", "version": version, "protocol": 1])
    }

    /// What to do after a request.
    public enum Next: Equatable, Sendable {
        case readMore
        case shutDown
    }

    /// Answers one request line. Anything malformed gets a `protocol_error` reply and the session
    /// goes on.
    public func handle(_ line: String) -> Next {
        guard let request = Request(line) else {
            write(["type": "protocol_error", "id": NSNull(), "message": "a request is one JSON object on a line, with a \"type\""])
            return .readMore
        }
        cellID = request.id
        switch request.type {
        case "execute":
            guard let code = request.fields["code"] as? String else { return refuse(request, "execute needs \"code\", a string") }
            execute(code, name: request.fields["name"] as? String ?? "<cell>")
        case "complete":
            guard let code = request.fields["code"] as? String else { return refuse(request, "complete needs \"code\", a string") }
            complete(code, cursor: request.cursor(in: code))
        case "inspect":
            guard let code = request.fields["code"] as? String else { return refuse(request, "inspect needs \"code\", a string") }
            inspect(code, cursor: request.cursor(in: code))
        case "interrupt":
            // No reply: the executable acts on interrupts as they arrive, even while a cell
            // runs, and does not queue them; here in turn there is nothing left to stop.
            break
        case "shutdown":
            reply(["type": "done", "status": "ok"])
            return .shutDown
        default:
            return refuse(request, "unknown request type '\(request.type)': execute, complete, inspect, interrupt or shutdown")
        }
        return .readMore
    }

    /// The reply to a request line longer than `maximumRequestLength`, which was skipped unread.
    public func refuseLongRequest(length: Int) {
        write(["type": "protocol_error", "id": NSNull(),
               "message": "a request of \(length) bytes is longer than the \(SessionServer.maximumRequestLength) allowed"])
    }

    /// Whether a line is an interrupt request, for the executable to act on while a cell runs.
    /// Safe to call from any thread.
    public static func isInterrupt(_ line: String) -> Bool {
        // Cheap first: every other request is left for the server's own thread.
        guard line.utf8.count < 4096, line.contains("interrupt") else { return false }
        return Request(line)?.type == "interrupt"
    }

    // MARK: - Execute

    private func execute(_ code: String, name: String) {
        let source = SourceFile(name: name, text: code)
        var diagnostics: [Diagnostic] = []
        let failedBefore = session.failedExpectations
        session.report = { [unowned self] diagnostic in
            self.flushText()
            self.reply(self.diagnostic(diagnostic, in: source))
        }
        let parsed = Parser.parse(code)
        var status = "ok"
        if !parsed.diagnostics.isEmpty {
            diagnostics = parsed.diagnostics
            status = "error"
        } else {
            switch session.run(parsed.statements) {
            case .completed, .syntaxErrors, .quit: break
            case .interrupted: status = "interrupted"
            case .failed(let diagnostic):
                diagnostics = [diagnostic]
                status = "error"
            }
            // `train` stops at the end of a batch and returns normally: it may have been the last statement.
            if session.interruptRequested() { status = "interrupted" }
        }
        flushText()
        for diagnostic in diagnostics.prefix(SessionServer.diagnosticLimit) {
            reply(self.diagnostic(diagnostic, in: source))
        }
        if diagnostics.count > SessionServer.diagnosticLimit {
            reply(["type": "stream", "name": "stderr", "text": "\(diagnostics.count - SessionServer.diagnosticLimit) more errors not shown\n"])
        }
        reply(["type": "done", "status": status, "failed_expectations": session.failedExpectations - failedBefore])
    }

    private func diagnostic(_ diagnostic: Diagnostic, in source: SourceFile) -> [String: Any] {
        var fields: [String: Any] = [
            "type": "diagnostic", "severity": "error", "file": source.name,
            "message": diagnostic.message, "rendered": renderer.render(diagnostic, in: source),
            "line": NSNull(), "column": NSNull(), "end_line": NSNull(), "end_column": NSNull(),
        ]
        if let hint = diagnostic.hint { fields["hint"] = hint }
        if let span = diagnostic.span {
            fields["line"] = span.start.line
            fields["column"] = span.start.column
            fields["end_line"] = span.end.line
            fields["end_column"] = span.end.column
        }
        return fields
    }

    // MARK: - Text

    /// Holds printed text back and sends it in few `stream` replies: before anything else is
    /// sent, at the end of the cell, and every `streamInterval` seconds while it prints.
    private func stream(_ text: String) {
        pendingText += text
        if pendingText.utf8.count >= 1 << 16 || Session.seconds(since: lastStream) >= SessionServer.streamInterval {
            flushText()
        }
    }

    private func flushText() {
        lastStream = .now
        guard !pendingText.isEmpty else { return }
        reply(["type": "stream", "name": "stdout", "text": pendingText])
        pendingText = ""
    }

    // MARK: - Complete and inspect

    /// What Tab at the prompt offers at the cursor, as the span it replaces and its candidates.
    private func complete(_ code: String, cursor: Int) {
        let prefix = String(String.UnicodeScalarView(code.unicodeScalars.prefix(cursor)))
        let completion = Completer(session: session, listDirectory: listDirectory).complete(prefix)
        let matches = completion.candidates.count == 1 ? [completion.candidates[0] + completion.terminator] : completion.candidates
        reply(["type": "completions", "matches": matches,
               "cursor_start": cursor - completion.word.unicodeScalars.count, "cursor_end": cursor])
    }

    /// `help WORD` for the word around the cursor, when it is a help topic.
    private func inspect(_ code: String, cursor: Int) {
        let scalars = Array(code.unicodeScalars)
        func isWordScalar(_ scalar: Unicode.Scalar) -> Bool { scalar == "_" || scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) }
        var start = min(cursor, scalars.count)
        var end = start
        while start > 0, isWordScalar(scalars[start - 1]) { start -= 1 }
        while end < scalars.count, isWordScalar(scalars[end]) { end += 1 }
        let word = String(String.UnicodeScalarView(scalars[start..<end]))
        guard !word.isEmpty, HelpTopics.all.contains(word) || Builtins.function(named: word) != nil else {
            reply(["type": "inspection", "found": false, "word": word])
            return
        }
        reply(["type": "inspection", "found": true, "word": word, "text": Help.text(for: word)])
    }

    // MARK: - Replies

    private func refuse(_ request: Request, _ message: String) -> Next {
        reply(["type": "protocol_error", "message": message])
        return .readMore
    }

    /// Sends a reply to the request being answered.
    private func reply(_ fields: [String: Any]) {
        var fields = fields
        fields["id"] = cellID
        write(fields)
    }

    private func write(_ fields: [String: Any]) {
        // Only strings, numbers, booleans, arrays and null go in: serialization cannot fail.
        guard let data = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        send(String(decoding: data, as: UTF8.self))
    }
}

/// One request line, read.
private struct Request {
    var type: String
    /// Echoed in every reply to the request; null when the request had none.
    var id: Any
    var fields: [String: Any]

    init?(_ line: String) {
        guard let data = line.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]),
              let fields = object as? [String: Any],
              let type = fields["type"] as? String
        else { return nil }
        self.type = type
        self.fields = fields
        id = fields["id"] ?? NSNull()
    }

    /// `cursor`, in Unicode scalars (Jupyter's code points), within the code; the end without one.
    func cursor(in code: String) -> Int {
        let count = code.unicodeScalars.count
        guard let cursor = fields["cursor"] as? Int else { return count }
        return min(max(cursor, 0), count)
    }
}
