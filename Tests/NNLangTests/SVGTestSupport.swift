import Foundation
import Testing

/// SVG files read by python3's XML parser, which fails on a file that is not well formed.
enum SVGTestSupport {
    /// The counts the `python` lines print, one `name number` a line; they run with the file's
    /// root element in `root` (an `svg`, checked) and the SVG namespace as `n`.
    static func counts(in path: String, python: String) throws -> [String: Int] {
        let script = """
            import sys, xml.etree.ElementTree as ET
            n = '{http://www.w3.org/2000/svg}'
            root = ET.parse(sys.argv[1]).getroot()
            assert root.tag == n + 'svg', root.tag

            """ + python
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "python3 could not parse \(path)")
        var counts: [String: Int] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, let value = Int(parts[1]) { counts[String(parts[0])] = value }
        }
        return counts
    }
}
