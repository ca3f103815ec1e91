#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NNLang

/// `nn --serve`: requests on standard input, replies on standard output, one JSON object a line
/// (`docs/serve-protocol.md`), for a notebook kernel.
///
/// A reader thread takes lines off standard input as they come, so that an interrupt request
/// reaches a cell while it runs: it raises SIGINT, which stops the cell exactly as Ctrl-C does at
/// the prompt. Every other request waits its turn on the interpreter's thread.
enum ServeMode {
    /// Serves until a shutdown request or the end of standard input. Runs on the interpreter's thread.
    static func run(version: String) -> Int32 {
        let session = Session { _ in }
        Interrupts.install()
        session.interruptRequested = { Interrupts.pending }
        let server = SessionServer(session: session, listDirectory: StandardStreams.listDirectory) { line in
            StandardStreams.output.write(line + "\n")
            StandardStreams.output.flush()
        }
        let queue = RequestQueue()
        guard RequestReader.start(queue) else {
            StandardStreams.error.write("nn: cannot start the thread that reads requests\n")
            return 1
        }
        server.greet(version: version)
        while true {
            switch queue.next() {
            case .line(let line):
                Interrupts.clear()  // an interrupt that came between cells stops none
                if server.handle(line) == .shutDown { return 0 }
            case .tooLong(let length):
                server.refuseLongRequest(length: length)
            case .endOfInput:
                return 0
            }
        }
    }
}

/// What the reader thread hands the interpreter's.
private enum RequestItem {
    case line(String)
    case tooLong(Int)
    case endOfInput
}

/// Lines from the reader thread to the interpreter's, in order.
private final class RequestQueue: @unchecked Sendable {
    // Unchecked: every access to `items` holds `mutex`.
    private var items: [RequestItem] = []
    private var mutex = pthread_mutex_t()
    private var condition = pthread_cond_t()

    init() {
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&condition, nil)
    }

    func put(_ item: RequestItem) {
        pthread_mutex_lock(&mutex)
        items.append(item)
        pthread_cond_signal(&condition)
        pthread_mutex_unlock(&mutex)
    }

    /// The oldest item, waiting for one.
    func next() -> RequestItem {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        while items.isEmpty { pthread_cond_wait(&condition, &mutex) }
        return items.removeFirst()
    }
}

/// The thread that reads standard input into lines.
private enum RequestReader {
    static func start(_ queue: RequestQueue) -> Bool {
        var thread = pthread_t()
        let context = Unmanaged.passRetained(queue).toOpaque()
        let created = pthread_create(&thread, nil, { context in
            guard let context else { return nil }
            RequestReader.read(into: Unmanaged<RequestQueue>.fromOpaque(context).takeRetainedValue())
            return nil
        }, context)
        guard created == 0 else {
            Unmanaged<RequestQueue>.fromOpaque(context).release()
            return false
        }
        pthread_detach(thread)
        return true
    }

    /// Splits standard input at newlines until it ends. A line longer than
    /// `SessionServer.maximumRequestLength` is skipped to its end, never held whole.
    private static func read(into queue: RequestQueue) {
        var line: [UInt8] = []
        var skipped = 0  // bytes of an overlong line thrown away so far
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(0, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            if count <= 0 { break }
            for byte in chunk[0..<count] {
                if byte == UInt8(ascii: "\n") {
                    if skipped > 0 {
                        queue.put(.tooLong(skipped))
                    } else {
                        deliver(line, to: queue)
                    }
                    line.removeAll(keepingCapacity: line.count < 1 << 20)
                    skipped = 0
                } else if skipped > 0 {
                    skipped += 1
                } else if line.count >= SessionServer.maximumRequestLength {
                    skipped = line.count + 1
                    line = []
                } else {
                    line.append(byte)
                }
            }
        }
        if skipped > 0 { queue.put(.tooLong(skipped)) } else { deliver(line, to: queue) }
        queue.put(.endOfInput)
    }

    private static func deliver(_ bytes: [UInt8], to queue: RequestQueue) {
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasSuffix("\r") { text.removeLast() }
        guard !text.allSatisfy(\.isWhitespace) else { return }
        if SessionServer.isInterrupt(text) {
            raise(SIGINT)  // as Ctrl-C: the handler sets the flag the running cell reads
        } else {
            queue.put(.line(text))
        }
    }
}
