/// File reads as commands need them: a failure becomes a diagnostic at the file name.
extension FileAccess {
    /// A whole file's bytes, or a diagnostic at `span` saying why not.
    static func readFile(_ path: String, span: SourceSpan) throws(Diagnostic) -> [UInt8] {
        switch readFile(path) {
        case .success(let bytes): return bytes
        case .failure(let error): throw Diagnostic(.file(error), at: span)
        }
    }
}
