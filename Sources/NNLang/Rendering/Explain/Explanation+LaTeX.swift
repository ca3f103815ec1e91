/// An explanation as a standalone LaTeX document (amsmath): runs of equations in `align*`,
/// aligned at `=`; lines as mathematics with words upright; tables as `tabular`; the symbols
/// that words and program text hold declared so that pdflatex sets them.
extension Explanation {
    /// The symbols that words and program text (`\\text{…}`, `\\texttt{…}`) may hold, and how
    /// pdflatex sets each.
    static let textSymbols: [(character: String, latex: String)] = [
        ("∂", "\\ensuremath{\\partial}"), ("×", "\\ensuremath{\\times}"), ("·", "\\ensuremath{\\cdot}"),
        ("Σ", "\\ensuremath{\\Sigma}"), ("δ", "\\ensuremath{\\delta}"), ("⊙", "\\ensuremath{\\odot}"),
        ("ᵀ", "\\ensuremath{^{T}}"), ("→", "\\ensuremath{\\to}"), ("…", "\\ldots{}"), ("η", "\\ensuremath{\\eta}"),
        ("φ", "\\ensuremath{\\varphi}"), ("⁺", "\\ensuremath{^{+}}"), ("²", "\\ensuremath{^{2}}"), ("½", "\\ensuremath{\\tfrac12}"),
        ("√", "\\ensuremath{\\surd}"), ("±", "\\ensuremath{\\pm}"), ("ε", "\\ensuremath{\\varepsilon}"),
    ]

    /// The document, titled `title` (the statement that asked for it).
    func latex(title: String) -> String {
        var lines = [
            "\\documentclass{article}",
            "\\usepackage[utf8]{inputenc}",
            "\\usepackage{amsmath}",
        ]
        lines += Self.textSymbols.map { "\\DeclareUnicodeCharacter{\(Self.hex($0.character))}{\($0.latex)}" }
        lines += ["\\allowdisplaybreaks", "\\begin{document}", "\\section*{\(Math.escape(title))}", ""]
        var equations: [String] = []
        func flush() {
            guard !equations.isEmpty else { return }
            lines += ["\\begin{align*}"] + equations.enumerated().map { $0.element + ($0.offset < equations.count - 1 ? " \\\\" : "") } + ["\\end{align*}"]
            equations = []
        }
        for block in blocks {
            switch block {
            case .equation(let indent, let left, let right, _):
                equations.append(Self.quads(indent) + left.latex + " &= " + right.latex)
            case .line(let indent, let math):
                flush()
                lines.append("\\noindent" + (indent > 0 ? "\\hspace*{\(indent * 2)em}" : "") + "$\\displaystyle " + math.latex + "$\\par\\smallskip")
            case .table(_, let heading, let rows):
                flush()
                lines += ["\\begin{center}", "\\begin{tabular}{" + String(repeating: "r", count: heading.count) + "}"]
                lines.append(heading.map { "$" + $0.latex + "$" }.joined(separator: " & ") + " \\\\ \\hline")
                lines += rows.map { $0.map { "$" + $0.latex + "$" }.joined(separator: " & ") + " \\\\" }
                lines += ["\\end{tabular}", "\\end{center}"]
            }
        }
        flush()
        lines.append("\\end{document}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// `\quad`s for an indent.
    static func quads(_ indent: Int) -> String {
        String(repeating: "\\quad ", count: indent)
    }

    /// A character's code point as four hex digits (or more), as \DeclareUnicodeCharacter takes it.
    private static func hex(_ character: String) -> String {
        let value = character.unicodeScalars.first.map { Int($0.value) } ?? 0
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
