import Foundation
import Testing

/// `nn --serve` through a pipe, as a notebook kernel drives it: requests in, JSON replies out.
@Suite struct ServeTests {
    typealias Reply = [String: Any]

    /// Runs a whole conversation: the requests, then the end of input.
    static func serve(_ requests: [String]) throws -> (replies: [Reply], run: NNBinary.Run) {
        let run = try NNBinary.run(["--serve"], input: requests.map { $0 + "\n" }.joined())
        return (try replies(run.standardOutput), run)
    }

    static func replies(_ output: String) throws -> [Reply] {
        try output.split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
            return try #require(object as? Reply, "not a JSON object: \(line)")
        }
    }

    static func execute(_ id: Int, _ code: String) -> String {
        request(["type": "execute", "id": id, "code": code])
    }

    static func request(_ fields: [String: Any]) -> String {
        String(decoding: (try? JSONSerialization.data(withJSONObject: fields)) ?? Data(), as: UTF8.self)
    }

    /// The replies to request `id`, in order.
    static func replies(to id: Int, in replies: [Reply]) -> [Reply] {
        replies.filter { ($0["id"] as? Int) == id }
    }

    static func text(of replies: [Reply]) -> String {
        replies.filter { $0["type"] as? String == "stream" }.compactMap { $0["text"] as? String }.joined()
    }

    static func status(of replies: [Reply]) -> String? {
        replies.last { $0["type"] as? String == "done" }?["status"] as? String
    }

    @Test func greetsThenRunsCellsInOneSessionThatOutlivesErrors() throws {
        let (replies, run) = try Self.serve([
            Self.execute(1, "x = 20\nprint x + 1"),
            Self.execute(2, "y = x +"),           // a syntax error
            Self.execute(3, "print x * zz"),      // a runtime error
            Self.execute(4, "print x * 2"),       // the state of cell 1 is still there
        ])
        #expect(run.status == 0)
        #expect(replies.first?["type"] as? String == "ready")
        #expect(replies.first?["version"] as? String == "nn 0.1.0")
        #expect(Self.text(of: Self.replies(to: 1, in: replies)) == "21\n")
        #expect(Self.status(of: Self.replies(to: 1, in: replies)) == "ok")
        #expect(Self.status(of: Self.replies(to: 2, in: replies)) == "error")
        #expect(Self.status(of: Self.replies(to: 3, in: replies)) == "error")
        #expect(Self.text(of: Self.replies(to: 4, in: replies)) == "40\n")
        #expect(Self.status(of: Self.replies(to: 4, in: replies)) == "ok")
    }

    @Test func diagnosticsComeAsDataWithTheRenderedCaret() throws {
        let (replies, _) = try Self.serve([Self.request(["type": "execute", "id": 1, "name": "<cell 1>", "code": "x = 1\nprint x * zz"])])
        let diagnostic = try #require(Self.replies(to: 1, in: replies).first { $0["type"] as? String == "diagnostic" })
        #expect(diagnostic["file"] as? String == "<cell 1>")
        #expect(diagnostic["line"] as? Int == 2)
        #expect(diagnostic["column"] as? Int == 11)
        #expect(diagnostic["end_column"] as? Int == 13)
        #expect(diagnostic["message"] as? String == "unknown name 'zz'")
        #expect(diagnostic["rendered"] as? String == """
            <cell 1>:2:11: error: unknown name 'zz'
                2 | print x * zz
                  |           ^~
            """)
    }

    @Test func everySyntaxErrorOfACellIsReportedAndNothingRuns() throws {
        let (replies, _) = try Self.serve([Self.execute(1, "print 1\ny = (\nz = ]"), Self.execute(2, "print 2")])
        let cell = Self.replies(to: 1, in: replies)
        #expect(cell.filter { $0["type"] as? String == "diagnostic" }.count >= 1)
        #expect(Self.text(of: cell) == "")
        #expect(Self.text(of: Self.replies(to: 2, in: replies)) == "2\n")
    }

    /// Hostile and mistaken requests get a clear error reply, and the session lives on.
    @Test(arguments: [
        ("not json", "a request is one JSON object on a line"),
        ("[1, 2]", "a request is one JSON object on a line"),
        ("{\"id\": 7}", "a request is one JSON object on a line"),
        ("{\"type\": \"frobnicate\", \"id\": 7}", "unknown request type 'frobnicate'"),
        ("{\"type\": \"execute\", \"id\": 7}", "execute needs \"code\", a string"),
        ("{\"type\": \"execute\", \"id\": 7, \"code\": 3}", "execute needs \"code\", a string"),
        ("{\"type\": \"complete\", \"id\": 7}", "complete needs \"code\", a string"),
        ("\u{FF}\u{FE}\u{0}garbage{{{", "a request is one JSON object on a line"),
        ("deep", "a request is one JSON object on a line"),
    ])
    func malformedRequestsGetAnErrorReply(request: String, message: String) throws {
        let request = request == "deep" ? String(repeating: "[", count: 100_000) : request
        let (replies, run) = try Self.serve([request, Self.execute(8, "print 8")])
        #expect(run.status == 0)
        let error = try #require(replies.first { $0["type"] as? String == "protocol_error" }, "\(run)")
        #expect((error["message"] as? String)?.contains(message) == true, "\(error)")
        #expect(Self.text(of: Self.replies(to: 8, in: replies)) == "8\n")
    }

    @Test func aLineLongerThanTheLimitIsSkippedUnread() throws {
        let huge = "{\"type\": \"execute\", \"id\": 1, \"code\": \"" + String(repeating: "x", count: 17 << 20) + "\"}"
        let (replies, run) = try Self.serve([huge, Self.execute(2, "print 2")])
        #expect(run.status == 0)
        let error = try #require(replies.first { $0["type"] as? String == "protocol_error" })
        #expect((error["message"] as? String)?.contains("longer than the 16777216 allowed") == true)
        #expect(Self.replies(to: 1, in: replies).isEmpty)
        #expect(Self.text(of: Self.replies(to: 2, in: replies)) == "2\n")
    }

    @Test func picturesComeAsSVGAndTrainingAsProgressUpdates() throws {
        let (replies, _) = try Self.serve([
            Self.execute(1, "input 2\nlayer 2 sigmoid\nlayer 1 sigmoid\ndata xor\ntrain epochs=50\nplot loss width=60\ndraw\nplot boundary"),
        ])
        let cell = Self.replies(to: 1, in: replies)
        let pictures = cell.filter { $0["type"] as? String == "picture" }
        #expect(pictures.count == 3)
        for picture in pictures {
            #expect(picture["mime"] as? String == "image/svg+xml")
            #expect((picture["data"] as? String)?.contains("<svg") == true)
        }
        #expect((pictures.first?["data"] as? String)?.contains("<title>loss by epoch</title>") == true)
        let progress = cell.filter { $0["type"] as? String == "progress" }
        #expect(progress.last?["epoch"] as? Int == 50)
        #expect(progress.last?["epochs"] as? Int == 50)
        #expect((progress.last?["text"] as? String)?.hasPrefix("epoch 50/50 ") == true)
        // The text has no terminal drawing in it, and progress comes before the summary line.
        let text = Self.text(of: cell)
        #expect(text.hasPrefix("trained 50 epochs: E = "), "\(text)")
        #expect(!text.contains("\u{1B}"))
        let order = cell.compactMap { $0["type"] as? String }
        #expect(order.firstIndex(of: "progress")! < order.firstIndex(of: "stream")!)
        #expect(order.last == "done")
    }

    /// `train … watch=`: the first frame opens a display, every later one replaces it, and the
    /// next watched `train` opens a display of its own.
    @Test func aWatchedTrainingUpdatesOneDisplay() throws {
        let setup = "data xor\ninput 2\nlayer 3 tanh\nlayer 1 sigmoid\nloss binary_cross_entropy\n"
        let (replies, run) = try Self.serve([
            Self.execute(1, setup + "train epochs=300 lr=0.5 watch=neurons watch_every=100"),
            Self.execute(2, "train epochs=20 watch=loss\nplot loss"),
        ])
        #expect(run.status == 0)
        let frames = Self.replies(to: 1, in: replies).filter { $0["type"] as? String == "picture" }
        #expect(frames.count >= 2)
        #expect(frames.first?["update"] as? Bool == false)
        #expect(frames.dropFirst().allSatisfy { $0["update"] as? Bool == true })
        #expect(Set(frames.compactMap { $0["display_id"] as? String }).count == 1)
        #expect(frames.compactMap { $0["display_id"] as? String }.count == frames.count)
        #expect((frames.first?["data"] as? String)?.contains("epoch 0/300") == true)
        #expect((frames.last?["data"] as? String)?.contains("epoch 300/300") == true)
        let second = Self.replies(to: 2, in: replies).filter { $0["type"] as? String == "picture" }
        let opened = second.filter { $0["update"] as? Bool == false }
        #expect(opened.count == 1)
        #expect(opened.first?["display_id"] as? String != frames.first?["display_id"] as? String)
        // A plain plot is a picture without a display to update.
        #expect(second.last?["display_id"] == nil && second.last?["update"] == nil)
    }

    @Test func aPictureToAFileIsStillWrittenThere() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nn-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("s.svg").path
        let (replies, _) = try Self.serve([Self.execute(1, "plot sigmoid to \"\(path)\"")])
        #expect(Self.text(of: replies) == "saved \(path)\n")
        #expect(!replies.contains { $0["type"] as? String == "picture" })
        #expect(FileManager.default.fileExists(atPath: path))
    }

    @Test func completesFromTheCommandTableAndInspectsWithHelp() throws {
        let (replies, _) = try Self.serve([
            Self.request(["type": "complete", "id": 1, "code": "x = 1\ntra", "cursor": 9]),
            Self.request(["type": "complete", "id": 2, "code": "layer 3 sigm", "cursor": 12]),
            Self.request(["type": "inspect", "id": 3, "code": "train epochs=5", "cursor": 2]),
            Self.request(["type": "inspect", "id": 4, "code": "print qqq", "cursor": 8]),
        ])
        let first = try #require(Self.replies(to: 1, in: replies).first)
        #expect(first["type"] as? String == "completions")
        #expect((first["matches"] as? [String])?.contains("train") == true)
        #expect(first["cursor_start"] as? Int == 6)
        #expect(first["cursor_end"] as? Int == 9)
        let second = try #require(Self.replies(to: 2, in: replies).first)
        #expect(second["matches"] as? [String] == ["sigmoid "])
        #expect(second["cursor_start"] as? Int == 8)
        let help = try #require(Self.replies(to: 3, in: replies).first)
        #expect(help["found"] as? Bool == true)
        #expect((help["text"] as? String)?.hasPrefix("usage: train") == true)
        let unknown = try #require(Self.replies(to: 4, in: replies).first)
        #expect(unknown["found"] as? Bool == false)
    }

    @Test func shutdownEndsTheSessionAndIgnoresWhatFollows() throws {
        let (replies, run) = try Self.serve([Self.request(["type": "shutdown", "id": 1]), Self.execute(2, "print 2")])
        #expect(run.status == 0)
        #expect(Self.status(of: Self.replies(to: 1, in: replies)) == "ok")
        #expect(Self.replies(to: 2, in: replies).isEmpty)
    }

    @Test func serveTakesNoProgram() throws {
        let run = try NNBinary.run(["--serve", "-e", "print 1"])
        #expect(run.status == 2)
        #expect(run.standardError.contains("--serve takes no files"))
    }

    // MARK: - Interrupts

    /// A long `train` stopped by an interrupt request, or by SIGINT; the next cell runs.
    @Test(arguments: [false, true])
    func anInterruptStopsTheRunningCellOnly(bySignal: Bool) throws {
        let process = Process()
        process.executableURL = NNBinary.executable
        process.arguments = ["--serve"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let lines = LineReader(output.fileHandleForReading)
        func send(_ line: String) { input.fileHandleForWriting.write(Data((line + "\n").utf8)) }

        #expect(lines.next()?.contains("\"ready\"") == true)
        send(Self.execute(1, "input 2\nlayer 4 sigmoid\nlayer 1 sigmoid\ndata xor\ntrain epochs=100000000"))
        // Wait until training is under way: its first progress update.
        while let line = lines.next(), !line.contains("\"progress\"") {}
        if bySignal { process.interrupt() } else { send(Self.request(["type": "interrupt"])) }
        var cell: [Reply] = []
        while let line = lines.next() {
            let reply = try Self.replies(line)[0]
            cell.append(reply)
            if reply["type"] as? String == "done" { break }
        }
        #expect(Self.status(of: cell) == "interrupted")
        #expect(Self.text(of: cell).hasPrefix("interrupted at epoch "))
        send(Self.execute(2, "print 2"))
        send(Self.request(["type": "shutdown", "id": 3]))
        var rest: [Reply] = []
        while let line = lines.next() { rest += try Self.replies(line) }
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(Self.text(of: Self.replies(to: 2, in: rest)) == "2\n")
        #expect(Self.status(of: Self.replies(to: 2, in: rest)) == "ok")
    }

    /// Lines of a pipe as they come.
    final class LineReader {
        private let handle: FileHandle
        private var buffer = Data()

        init(_ handle: FileHandle) { self.handle = handle }

        func next() -> String? {
            while true {
                if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                    buffer = Data(buffer[(newline + 1)...])
                    return line
                }
                let chunk = handle.availableData
                if chunk.isEmpty { return nil }
                buffer.append(chunk)
            }
        }
    }
}
