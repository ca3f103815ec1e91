import Foundation
import Testing

/// `make install` and `make uninstall` into a throwaway prefix, with the binary under test
/// (`NN=`, so nothing is built), and the man page they install read by groff.
@Suite struct InstallTests {
    private func shell(_ command: String, environment: [String: String] = [:]) throws -> NNBinary.Run {
        try NNBinary.run(["sh", "-c", command], executable: URL(fileURLWithPath: "/usr/bin/env"), environment: environment)
    }

    private func files(under folder: URL) -> [String] {
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
        var paths: [String] = []
        while let url = enumerator?.nextObject() as? URL {
            if (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
                paths.append(String(url.resolvingSymlinksInPath().path.dropFirst(folder.resolvingSymlinksInPath().path.count)))
            }
        }
        return paths.sorted()
    }

    @Test func installThenUninstallLeavesNoFile() throws {
        let prefix = FileManager.default.temporaryDirectory.appendingPathComponent("nn-prefix-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: prefix) }
        let environment = ["PREFIX": prefix.path, "NN_UNDER_TEST": NNBinary.executable.path]

        let install = try shell(#"make -s install PREFIX="$PREFIX" NN="$NN_UNDER_TEST""#, environment: environment)
        #expect(install.status == 0, "\(install)")
        #expect(files(under: prefix) == [
            "/bin/nn",
            "/share/bash-completion/completions/nn",
            "/share/fish/vendor_completions.d/nn.fish",
            "/share/man/man1/nn.1",
            "/share/zsh/site-functions/_nn",
        ])
        let run = try shell(#""$PREFIX/bin/nn" -e 'print 1'"#, environment: environment)
        #expect(run.standardOutput == "1\n")
        let bash = try shell(#"bash -n "$PREFIX/share/bash-completion/completions/nn""#, environment: environment)
        #expect(bash.status == 0, "\(bash)")

        let uninstall = try shell(#"make -s uninstall PREFIX="$PREFIX""#, environment: environment)
        #expect(uninstall.status == 0, "\(uninstall)")
        #expect(files(under: prefix) == [])
    }

    /// groff reads the page with every warning on and says nothing; the page names every
    /// command and every flag.
    @Test func theManPageIsCleanRoff() throws {
        let page = try NNBinary.run(["--generate-man-page"])
        #expect(page.status == 0)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nn-man-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("nn.1")
        try page.standardOutput.write(to: file, atomically: true, encoding: .utf8)

        let groff = try shell(#"groff -man -Tutf8 -ww "$PAGE" | col -b"#, environment: ["PAGE": file.path])
        #expect(groff.status == 0)
        #expect(groff.standardError == "")
        let text = groff.standardOutput.replacing(#/\s+/#) { _ in " " }
        for phrase in ["-e code", "--color when", "--ascii", "train [epochs=N]", "layer N [ACTIVATION]", "EXIT STATUS", "ENVIRONMENT", "NN_HISTORY"] {
            #expect(text.contains(phrase), "\(phrase)")
        }
        #expect(!page.standardOutput.contains("list-words"))
    }
}
