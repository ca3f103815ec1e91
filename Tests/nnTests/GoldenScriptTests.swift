import Foundation
import Testing

/// Every example in `scripts/` runs as a golden test: its standard output must equal the
/// `.out` file next to it, wall times aside. Every case in `Tests/nnTests/Golden` is a program
/// with its exact diagnostics and exit status in a `.expected` file.
///
/// Set `NN_UPDATE_GOLDEN=1` to rewrite the expected files from what nn prints now; then read
/// the diff before committing it.
@Suite struct GoldenScriptTests {
    static let scriptsFolder = NNBinary.packageRoot.appendingPathComponent("scripts")
    static let casesFolder = NNBinary.packageRoot.appendingPathComponent("Tests/nnTests/Golden")
    static let updating = ProcessInfo.processInfo.environment["NN_UPDATE_GOLDEN"] == "1"

    static func programs(in folder: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".nn") }.map { String($0.dropLast(3)) }.sorted()
    }

    @Test func thereAreExamplesAndCases() {
        #expect(Self.programs(in: Self.scriptsFolder).contains("mazur"))
        #expect(Self.programs(in: Self.scriptsFolder).contains("xor"))
        #expect(Self.programs(in: Self.casesFolder).count >= 20)
    }

    @Test(arguments: programs(in: scriptsFolder))
    func exampleScript(_ name: String) throws {
        let run = try NNBinary.run(["scripts/\(name).nn"])
        let expectedURL = Self.scriptsFolder.appendingPathComponent("\(name).out")
        let actual = NNBinary.normalizingTimes(run.standardOutput)
        if Self.updating { try actual.write(to: expectedURL, atomically: true, encoding: .utf8) }
        let expected = try String(contentsOf: expectedURL, encoding: .utf8)
        #expect(run.status == 0, "\(run)")
        #expect(run.standardError == "")
        #expect(actual == expected)
    }

    @Test(arguments: programs(in: casesFolder))
    func errorCase(_ name: String) throws {
        let run = try NNBinary.run(["Tests/nnTests/Golden/\(name).nn"])
        let expectedURL = Self.casesFolder.appendingPathComponent("\(name).expected")
        let actual = "exit \(run.status)\n--- stdout\n\(NNBinary.normalizingTimes(run.standardOutput))--- stderr\n\(run.standardError)"
        if Self.updating { try actual.write(to: expectedURL, atomically: true, encoding: .utf8) }
        let expected = try String(contentsOf: expectedURL, encoding: .utf8)
        #expect(actual == expected)
    }
}
