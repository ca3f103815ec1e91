import Foundation
import Testing

/// Runs the real `nn` binary that `swift build` put beside the test runner.
enum NNBinary {
    struct Run: CustomStringConvertible {
        var standardOutput: String
        var standardError: String
        var status: Int32

        var description: String { "status \(status)\n--- stdout\n\(standardOutput)--- stderr\n\(standardError)" }
    }

    /// The package's root folder, found from this file's path.
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The binary: `NN_BINARY` if set, else `nn` in the products folder the test runner sits in.
    static var executable: URL {
        if let path = ProcessInfo.processInfo.environment["NN_BINARY"] { return URL(fileURLWithPath: path) }
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = runner.deletingLastPathComponent()
        // On Darwin the runner sits inside an .xctest bundle.
        while folder.path != "/", !FileManager.default.isExecutableFile(atPath: folder.appendingPathComponent("nn").path) {
            folder.deleteLastPathComponent()
        }
        return folder.appendingPathComponent("nn")
    }

    /// Runs nn with `arguments` and `input` on standard input (an empty, closed stdin when nil),
    /// from the package root, with output captured through files so no pipe can fill up.
    static func run(_ arguments: [String], input: Data? = nil, executable: URL? = nil, environment: [String: String] = [:]) throws -> Run {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nn-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let outputURL = folder.appendingPathComponent("stdout")
        let errorURL = folder.appendingPathComponent("stderr")
        let inputURL = folder.appendingPathComponent("stdin")
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: inputURL.path, contents: input ?? Data())

        let process = Process()
        process.executableURL = executable ?? self.executable
        process.arguments = arguments
        process.currentDirectoryURL = packageRoot
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardInput = try FileHandle(forReadingFrom: inputURL)
        process.standardOutput = try FileHandle(forWritingTo: outputURL)
        process.standardError = try FileHandle(forWritingTo: errorURL)
        try process.run()
        process.waitUntilExit()
        return Run(
            standardOutput: String(decoding: try Data(contentsOf: outputURL), as: UTF8.self),
            standardError: String(decoding: try Data(contentsOf: errorURL), as: UTF8.self),
            status: process.terminationStatus)
    }

    /// Runs a Python unittest file (`Prompt/prompt_test.py`, …) with `NN_BINARY` set to this
    /// binary and checks that every case passed. A missing Python module is one recorded issue
    /// that says how to install it, rather than the traceback.
    static func runPythonSuite(_ script: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let run = try run(["python3", script], executable: URL(fileURLWithPath: "/usr/bin/env"),
                          environment: ["NN_BINARY": executable.path])
        if let missing = run.standardError.firstMatch(of: /No module named '([A-Za-z_.]+)'/) {
            Issue.record("\(script) needs the Python module \(missing.1): run scripts/setup.sh", sourceLocation: sourceLocation)
            return
        }
        if run.standardOutput.hasPrefix("SKIP:") {
            Issue.record("\(run.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines))", sourceLocation: sourceLocation)
            return
        }
        #expect(run.status == 0, "\(run.standardError)", sourceLocation: sourceLocation)
        #expect(run.standardError.contains("\nOK"), "\(run.standardError)", sourceLocation: sourceLocation)
    }

    static func run(_ arguments: [String], input: String) throws -> Run {
        try run(arguments, input: Data(input.utf8))
    }

    /// Output with wall times replaced by `<time>`, so golden files do not depend on the machine.
    static func normalizingTimes(_ text: String) -> String {
        text.replacing(#/\(([0-9.e+-]+) s\)/#) { _ in "(<time> s)" }
            .replacing(#/time: ([0-9.e+-]+) s/#) { _ in "time: <time> s" }
    }
}
