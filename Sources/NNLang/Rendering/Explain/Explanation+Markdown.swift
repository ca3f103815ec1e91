/// An explanation as Markdown with KaTeX mathematics, as GitHub and Jupyter render it: runs of
/// equations in one `$$\begin{aligned}…\end{aligned}$$` display, lines as inline `$…$`,
/// tables as Markdown tables.
extension Explanation {
    func markdown(title: String) -> String {
        var lines = ["# " + title, ""]
        var equations: [String] = []
        func flush() {
            guard !equations.isEmpty else { return }
            lines += ["$$", "\\begin{aligned}"] + equations.enumerated().map { $0.element + ($0.offset < equations.count - 1 ? " \\\\" : "") }
                + ["\\end{aligned}", "$$", ""]
            equations = []
        }
        for block in blocks {
            switch block {
            case .equation(let indent, let left, let right, _):
                equations.append(Self.quads(indent) + left.latex + " &= " + right.latex)
            case .line(let indent, let math):
                flush()
                lines += [String(repeating: "&emsp;", count: indent) + "$\\displaystyle " + math.latex + "$", ""]
            case .table(_, let heading, let rows):
                flush()
                lines.append("| " + heading.map { "$" + $0.latex + "$" }.joined(separator: " | ") + " |")
                lines.append("|" + String(repeating: "---:|", count: heading.count))
                lines += rows.map { "| " + $0.map { "$" + $0.latex + "$" }.joined(separator: " | ") + " |" }
                lines.append("")
            }
        }
        flush()
        while lines.last == "" { lines.removeLast() }
        return lines.joined(separator: "\n") + "\n"
    }
}
