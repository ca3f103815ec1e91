import Foundation
import Testing
@testable import nn

/// The prompt's history file, without a terminal.
@Suite struct HistoryTests {
    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("nn-history-\(UUID().uuidString)").path
    }

    @Test func blankLinesAndRepeatsAreNotKeptAndEveryLineIsSavedAtOnce() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        var history = History(path: path)
        for line in ["input 2", "", "   ", "input 2", "layer 2 sigmoid", "input 2"] {
            #expect(history.add(line) == nil)
        }
        #expect(history.entries == ["input 2", "layer 2 sigmoid", "input 2"])
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "input 2\nlayer 2 sigmoid\ninput 2\n")
        #expect(History(path: path).entries == history.entries)
    }

    @Test func theOldestEntriesGoPastTheCap() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        var history = History(path: path, limit: 3)
        for number in 1...5 { _ = history.add("print \(number)") }
        #expect(history.entries == ["print 3", "print 4", "print 5"])
        #expect(History(path: path, limit: 3).entries == ["print 3", "print 4", "print 5"])
        #expect(History(path: path, limit: 2).entries == ["print 4", "print 5"])
    }

    @Test func anUnwritableFileWarnsOnceAndTheSessionGoesOn() {
        var history = History(path: "/nonexistent-folder/nn_history")
        let first = history.add("print 1")
        #expect(first?.hasPrefix("cannot save history to '/nonexistent-folder/nn_history': no such file or directory") == true)
        #expect(history.add("print 2") == nil)
        #expect(history.entries == ["print 1", "print 2"])
    }

    @Test func whereHistoryIsKept() {
        #expect(History.defaultPath(environment: ["NN_HISTORY": "/tmp/h", "HOME": "/home/a"]) == "/tmp/h")
        #expect(History.defaultPath(environment: ["HOME": "/home/a"]) == "/home/a/.nn_history")
        #expect(History.defaultPath(environment: [:]) == nil)
    }
}
