#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NNEngine
@testable import NNLang

/// Files for the data-format tests: committed fixtures and fresh temporary folders.
enum DataTestSupport {
    /// The path of `Fixtures/<name>` next to this source file.
    static func fixture(_ name: String, filePath: String = #filePath) -> String {
        FileAccess.split(filePath).folder + "/Fixtures/" + name
    }

    /// The bytes of a fixture; a missing fixture fails the test that needs it.
    static func fixtureBytes(_ name: String) -> [UInt8]? {
        try? FileAccess.readFile(fixture(name)).get()
    }

    /// A new, empty folder under /tmp.
    static func temporaryFolder() -> String? {
        var template = Array("/tmp/nn-data-tests-XXXXXX".utf8CString)
        guard let result = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else { return nil }
        return String(cString: result)
    }

    /// The names in `folder`, without "." and "..".
    static func listing(_ folder: String) -> [String] {
        guard let directory = opendir(folder) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// Removes a temporary folder and the files in it.
    static func remove(_ folder: String) {
        for name in listing(folder) { unlink(folder + "/" + name) }
        rmdir(folder)
    }
}
