import Foundation
import NNLang

/// libFuzzer entry point: any bytes, parsed and run as a whole program in a fresh session,
/// with resource limits on. Run it in a scratch directory: programs may save files.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard FuzzRunLimits.isContained(text) else { return -1 }  // -1: keep it out of the corpus
    var printed = 0
    let session = Session { printed &+= $0.utf8.count }
    session.report = { printed &+= $0.message.utf8.count }
    guard session.run(source: "set max_elements \(FuzzRunLimits.maxElements)") == .completed else { return 0 }
    // A budget of interrupt checks and of time: loops and `train` stop at a clean point.
    let deadline = Date().addingTimeInterval(FuzzRunLimits.seconds)
    var checks = 0
    session.interruptRequested = {
        checks += 1
        return checks > FuzzRunLimits.checks || Date() > deadline
    }
    let outcome = session.run(source: text)
    // Use the result, or the optimizer may delete the call.
    return printed == Int.max && outcome == .completed ? 1 : 0
}

/// What a fuzzed program may do.
enum FuzzRunLimits {
    static let maxElements = 20_000
    static let checks = 20_000
    static let seconds = 0.2

    /// Whether a program stays inside the scratch directory and the element limit: no string
    /// holds a '/', so no absolute path or '..' escapes it, and `max_elements` is not raised.
    static func isContained(_ text: String) -> Bool {
        if text.contains("max_elements") { return false }
        var inString = false
        var escaped = false
        for byte in text.utf8 {
            if escaped { escaped = false; continue }
            switch byte {
            case UInt8(ascii: "\n"): inString = false
            case UInt8(ascii: "\""): inString.toggle()
            case UInt8(ascii: "\\") where inString: escaped = true
            case UInt8(ascii: "/") where inString: return false
            default: break
            }
        }
        return true
    }
}
