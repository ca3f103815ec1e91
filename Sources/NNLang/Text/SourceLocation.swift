/// A position in a source text: 1-based line and column, columns counted in Unicode scalars.
public struct SourceLocation: Equatable, Hashable, Sendable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    public var description: String { "\(line):\(column)" }
}

/// A run of source text that a token, an expression or a diagnostic points at.
///
/// A span that crosses lines is underlined only on its first line, to the end of that line.
public struct SourceSpan: Equatable, Hashable, Sendable {
    public var start: SourceLocation
    public var end: SourceLocation  // exclusive

    public init(start: SourceLocation, end: SourceLocation) {
        self.start = start
        self.end = end
    }

    /// The smallest span covering both.
    public func through(_ other: SourceSpan) -> SourceSpan {
        SourceSpan(start: min(start, other.start), end: max(end, other.end))
    }
}

/// A named source text, split into lines once so diagnostics can quote them.
public struct SourceFile: Sendable {
    /// The name shown in diagnostics: a path, or `<stdin>`, `<repl>`, `<-e>`.
    public let name: String
    public let text: String
    public let lines: [Substring]

    public init(name: String, text: String) {
        self.name = name
        self.text = text
        // "\r\n" is one Character in Swift, so it must be named as a separator of its own.
        self.lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map { line in
            line.hasSuffix("\r") ? line.dropLast() : line
        }
    }

    /// The text of a 1-based line, or "" past the end.
    public func line(_ number: Int) -> Substring {
        number >= 1 && number <= lines.count ? lines[number - 1] : ""
    }
}
