import NNEngine
@testable import NNLang

/// A span on one line, columns 1-based, `end` exclusive.
func span(_ line: Int, _ start: Int, _ end: Int) -> SourceSpan {
    SourceSpan(start: SourceLocation(line: line, column: start), end: SourceLocation(line: line, column: end))
}

/// Collects what a session prints, one entry per line, without the final newline.
final class Transcript {
    var lines: [String] = []

    func receive(_ text: String) {
        var text = Substring(text)
        if text.hasSuffix("\n") { text = text.dropLast() }
        lines += text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }
}

/// A fresh session and the transcript of what it prints.
func makeSession() -> (Session, Transcript) {
    let transcript = Transcript()
    let session = Session { transcript.receive($0) }
    return (session, transcript)
}

/// The classic worked example of Matt Mazur's "A Step by Step Backpropagation Example":
/// a 2-2-2 sigmoid network with the post's weights, biases and single sample.
let mazurProgram = """
    input 2
    layer 2 sigmoid
    layer 2 sigmoid
    loss sse
    W1 = [[0.15, 0.20], [0.25, 0.30]]
    b1 = 0.35
    W2 = [[0.40, 0.45], [0.50, 0.55]]
    b2 = 0.60
    data x=[[0.05, 0.10]] y=[[0.01, 0.99]]
    """

/// Renders a syntax tree as a compact S-expression, so parser tests can state trees in one line:
/// `(+ 1 (* 2 3))`, `(layer 2 sigmoid alpha=0.1)`, `(= (index W2 1 2) 0.45)`.
enum TreeText {
    static func program(_ statements: [Statement]) -> String {
        statements.map(statement).joined(separator: "; ")
    }

    static func statement(_ statement: Statement) -> String {
        switch statement.kind {
        case .expression(let expression):
            return self.expression(expression)
        case .assignment(let target, let value):
            let targetText: String
            switch target {
            case .name(let name, _): targetText = name
            case .element(let name, _, let indices): targetText = "(index \(name) \(indices.map(expression).joined(separator: " ")))"
            }
            return "(= \(targetText) \(expression(value)))"
        case .command(let command):
            var parts = [command.name]
            if let body = command.body { parts.append(self.statement(body)) }
            parts += command.positional.map(expression)
            parts += command.options.map { "\($0.name)=\(expression($0.value))" }
            return "(" + parts.joined(separator: " ") + ")"
        case .functionDefinition(let definition):
            return "(def \(definition.name) (\(definition.parameters.joined(separator: " "))) \(expression(definition.body)))"
        case .forLoop(let variable, _, let sequence, let body):
            return "(for \(variable) \(expression(sequence)) {\(program(body))})"
        case .conditional(let condition, let then, let otherwise):
            return "(if \(expression(condition)) {\(program(then))}" + (otherwise.map { " {\(program($0))}" } ?? "") + ")"
        case .repeatLoop(let count, let body):
            return "(repeat \(expression(count)) {\(program(body))})"
        }
    }

    static func expression(_ expression: Expression) -> String {
        switch expression.kind {
        case .number(let number):
            return number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
        case .string(let text):
            return "\"\(text)\""
        case .name(let name):
            return name
        case .list(let elements):
            return "[" + elements.map(self.expression).joined(separator: " ") + "]"
        case .index(let name, _, let indices):
            return "(index \(name) " + indices.map(self.expression).joined(separator: " ") + ")"
        case .unary(let operation, let operand):
            return "(\(operation.rawValue) \(self.expression(operand)))"
        case .binary(let operation, let left, let right):
            return "(\(operation.rawValue) \(self.expression(left)) \(self.expression(right)))"
        case .call(let name, _, let arguments):
            return "(call \(name)" + arguments.map { " " + self.expression($0) }.joined() + ")"
        case .range(let from, let to):
            return "(: " + (from.map(self.expression) ?? "_") + " " + (to.map(self.expression) ?? "_") + ")"
        }
    }
}
