/// A problem found in a program, with the span of source it is about.
///
/// Diagnostics are values: phases return them and only the outermost layer prints them,
/// through `DiagnosticRenderer`. The wording lives in one place, `Problem`.
public struct Diagnostic: Error, Equatable, Sendable {
    public var problem: Problem
    /// Where the problem is; nil only for problems with no place in the source.
    public var span: SourceSpan?

    public init(_ problem: Problem, at span: SourceSpan?) {
        self.problem = problem
        self.span = span
    }

    /// The one-line message: lowercase, no final period.
    public var message: String { problem.message }

    /// A short note shown after the caret, such as "did you mean 'sigmoid'?".
    public var hint: String? { problem.hint }
}
