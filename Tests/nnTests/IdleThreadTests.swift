import Foundation
import Testing

/// OpenBLAS's worker threads are stopped at start-up (they would spin for about 0.1 s of a
/// second core, in every script, multiplying or not) and come back for the products that use
/// them, with the same numbers.
@Suite("Idle threads")
struct IdleThreadTests {
    /// nn waiting for its script on standard input runs two threads: the process's first, and
    /// the one with a large stack that interprets. OpenBLAS's pool (a worker per extra thread)
    /// is not among them.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/self/task")))
    func aWaitingNNHasNoBLASWorkers() throws {
        let process = Process()
        process.executableURL = NNBinary.executable
        process.environment = ProcessInfo.processInfo.environment.merging(["OPENBLAS_NUM_THREADS": "2"]) { $1 }
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
        }
        // Start-up is over well within the second; the count is what stays while it waits.
        Thread.sleep(forTimeInterval: 1)
        let threads = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(process.processIdentifier)/task")
        #expect(threads.count == 2, "threads: \(threads)")
    }

    /// Products after the pool was stopped: the same numbers on one thread and on two, also
    /// after `set threads` starts the pool again.
    @Test func productsAfterStartUpUseThePoolAgain() throws {
        let program = """
            data digits
            a = X @ transpose(X)
            set threads 2
            b = X @ transpose(X)
            set threads 1
            c = X @ transpose(X)
            print sum(a), sum(a == b) == 1797 * 1797, sum(a == c) == 1797 * 1797
            """
        for threads in ["1", "2"] {
            let run = try NNBinary.run(["-e", program], environment: ["OPENBLAS_NUM_THREADS": threads])
            #expect(run.status == 0, "\(run)")
            #expect(run.standardOutput == "8532074612 1 1\n", "\(run)")
        }
    }
}
