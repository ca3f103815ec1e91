import NNEngine

/// A piece of an explanation's mathematics in the two forms it is written in: plain text as the
/// terminal shows it (`∂E/∂out_o1`), and LaTeX (`\frac{\partial E}{\partial \mathrm{out}_{o1}}`),
/// which a .tex file sets with amsmath and a Markdown file shows with KaTeX. Pieces are built
/// from names, numbers and operators and joined with `+`, never translated from text.
struct Math: Equatable, Sendable {
    var text: String
    var latex: String

    init(text: String, latex: String) {
        self.text = text
        self.latex = latex
    }

    static func + (left: Math, right: Math) -> Math {
        Math(text: left.text + right.text, latex: left.latex + right.latex)
    }

    static func += (left: inout Math, right: Math) {
        left = left + right
    }

    static let empty = Math(text: "", latex: "")

    /// Words between the mathematics, upright in LaTeX. ASCII only, so that pdflatex takes them.
    static func words(_ words: String) -> Math {
        Math(text: words, latex: "\\text{" + escape(words) + "}")
    }

    /// Program text (a formula of the language, a node's name), in a typewriter face in LaTeX.
    static func code(_ code: String) -> Math {
        Math(text: code, latex: "\\texttt{" + escape(code) + "}")
    }

    /// A symbol written the same in both forms (E, 1, x).
    static func symbol(_ symbol: String) -> Math {
        Math(text: symbol, latex: symbol)
    }

    /// A number as the session formats it: `1e-05` is 1 \times 10^{-5} in LaTeX.
    static func number(_ formatted: String) -> Math {
        Math(text: formatted, latex: latexNumber(formatted))
    }

    // MARK: - Operators

    static let equals = Math(text: " = ", latex: " = ")
    static let plus = Math(text: " + ", latex: " + ")
    static let minus = Math(text: " - ", latex: " - ")
    static let times = Math(text: " × ", latex: " \\times ")
    static let dot = Math(text: " · ", latex: " \\cdot ")
    /// The product of a weight and an input inside a sum, without spaces: w1·i1.
    static let tightDot = Math(text: "·", latex: " \\cdot ")
    static let space = Math(text: " ", latex: "\\,")
    static let slash = Math(text: " / ", latex: " / ")
    static let half = Math(text: "½", latex: "\\tfrac{1}{2}")
    static let eta = Math(text: "η", latex: "\\eta")
    static let open = Math(text: "(", latex: "(")
    static let close = Math(text: ")", latex: ")")

    /// ∂a/∂b.
    static func partial(_ a: Math, _ b: Math) -> Math {
        Math(text: "∂" + a.text + "/∂" + b.text, latex: "\\frac{\\partial " + a.latex + "}{\\partial " + b.latex + "}")
    }

    /// (a).
    static func parenthesized(_ a: Math) -> Math {
        Math(text: "(" + a.text + ")", latex: "\\left(" + a.latex + "\\right)")
    }

    /// a², the square of a name or of a bracket.
    static func squared(_ a: Math) -> Math {
        Math(text: a.text + "²", latex: "{" + a.latex + "}^2")
    }

    /// a⁺, the value after an update.
    static func updated(_ a: Math) -> Math {
        Math(text: a.text + "⁺", latex: "{" + a.latex + "}^{+}")
    }

    /// f(a) for a named function such as sigmoid or log.
    static func function(_ name: String, _ argument: Math) -> Math {
        let latexName = ["log", "exp"].contains(name) ? "\\" + name : "\\operatorname{" + escape(name) + "}"
        return Math(text: name + "(" + argument.text + ")", latex: latexName + "\\left(" + argument.latex + "\\right)")
    }

    /// The pieces with `separator` between them.
    static func joined(_ pieces: [Math], separator: Math) -> Math {
        var result = Math.empty
        for (index, piece) in pieces.enumerated() {
            if index > 0 { result += separator }
            result += piece
        }
        return result
    }

    /// The text form padded with spaces to `width` characters, to line up `=` signs; LaTeX
    /// aligns with `&` instead.
    func paddedText(to width: Int) -> Math {
        Math(text: text + String(repeating: " ", count: max(0, width - text.count)), latex: latex)
    }

    // MARK: - LaTeX text

    /// Text with LaTeX's special characters escaped.
    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "\\": escaped += "\\textbackslash{}"
            case "{", "}", "_", "#", "%", "&", "$": escaped += "\\" + String(character)
            case "^": escaped += "\\^{}"
            case "~": escaped += "\\~{}"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// `-1.5e-05` → `-1.5 \times 10^{-5}`; `nan` and `inf` as symbols.
    static func latexNumber(_ formatted: String) -> String {
        switch formatted {
        case "nan": return "\\mathrm{NaN}"
        case "inf": return "\\infty"
        case "-inf": return "-\\infty"
        default: break
        }
        guard let e = formatted.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return formatted }
        let mantissa = String(formatted[..<e])
        var exponent = String(formatted[formatted.index(after: e)...])
        if exponent.hasPrefix("+") { exponent.removeFirst() }
        let sign = exponent.hasPrefix("-") ? "-" : ""
        if sign == "-" { exponent.removeFirst() }
        while exponent.count > 1, exponent.hasPrefix("0") { exponent.removeFirst() }
        let power = "10^{" + sign + exponent + "}"
        return mantissa == "1" ? power : mantissa + " \\times " + power
    }
}

extension Math {
    /// A vector or matrix as the session prints it, and in LaTeX as a `bmatrix` (a vector as one
    /// row); one summarized in text is summarized alike, its middle rows and columns elided.
    static func value(_ value: Value, format: ValueFormatter) -> Math {
        let text = format.format(value)
        let matrix: Matrix
        switch value {
        case .scalar(let number): return .number(format.format(number))
        case .text: return .words(text)
        case .vector(let elements): matrix = Matrix(row: elements)
        case .matrix(let whole): matrix = whole
        }
        let summarized = format.summaryThreshold.map { matrix.count > $0 } ?? false
        func kept(_ count: Int) -> [Int?] {
            let edge = ValueFormatter.edgeItems
            guard summarized, count > 2 * edge else { return Array(0..<count) }
            return Array(0..<edge) + [nil] + Array((count - edge)..<count)
        }
        // Only the rows and columns kept are read: a summarized matrix may be large.
        let columns = kept(matrix.columns)
        let body = kept(matrix.rows).map { row -> String in
            guard let row else { return columns.map { $0 == nil ? "\\ddots" : "\\vdots" }.joined(separator: " & ") }
            return columns.map { column in column.map { latexNumber(format.format(matrix[row, $0])) } ?? "\\cdots" }.joined(separator: " & ")
        }.joined(separator: " \\\\ ")
        return Math(text: text, latex: "\\begin{bmatrix} " + body + " \\end{bmatrix}")
    }
}
