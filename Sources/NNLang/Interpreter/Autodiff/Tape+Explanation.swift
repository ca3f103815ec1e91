/// `explain grad(EXPR, VAR)`: the computational graph as the notes draw it.
///
/// The forward pass lists every node with its value, in the order it was computed; the backward
/// pass lists, from the output down, each node's adjoint ∂f/∂n as the adjoint of the node that
/// used it times the local derivative, with the numbers where they are single numbers, ending
/// in the gradient. Vectors and matrices are shown with their shapes.
extension Tape {
    func explanation(output: Int, variable: Int?, expression: String, variableName: String, variableValue: Value, format: ValueFormatter) -> Explanation {
        let names = nodes.indices.map { "n\($0 + 1)" }
        var explanation = Explanation()
        explanation.line(.words("f = ") + .code(expression) + .words(", differentiated with respect to ") + .code(variableName))
        explanation.line(.words("forward pass: each node's value, in order"))
        var rows: [(Math, Math)] = []
        for (index, node) in nodes.enumerated() where index <= output {
            let constant = node.dependsOnVariable ? Math.empty : .words("  (constant)")
            rows.append((.code("\(names[index]) = \(formula(of: node, names: names))"), Tape.valueWithShape(node.value, format: format) + constant))
        }
        // Two spaces between the formulas and their values' `=`, as the notes' tables set them.
        let width = (rows.map(\.0.text.count).max() ?? 0) + 1
        for (left, right) in rows { explanation.equation(left, right, indent: 1, width: width) }
        explanation.line(.words("backward pass: each node's adjoint ") + .partial(.symbol("f"), .symbol("n"))
                         + .words(", the adjoint of the node using it times the local derivative"))
        let adjoints = self.adjoints(of: output, seed: .scalar(1))
        explanation.equation(.partial(.symbol("f"), .code(names[output])), .symbol("1") + .words("  (f itself)"), indent: 1)
        for index in stride(from: output - 1, through: 0, by: -1) where nodes[index].dependsOnVariable {
            guard let adjoint = adjoints[index] else { continue }
            var formulas: [String] = []
            var numbers: [Math] = []
            for user in (index + 1)...output where nodes[user].dependsOnVariable && adjoints[user] != nil {
                for (position, input) in nodes[user].inputs.enumerated() where input == index {
                    formulas.append(term(user: user, position: position, names: names))
                    // The numbers, where the adjoint above and the local derivative are single numbers.
                    let local = position < nodes[user].local.count ? nodes[user].local[position] : nil
                    if case .scalar(let above)? = adjoints[user], case .scalar(let local)? = local, case .scalar = nodes[index].value {
                        numbers.append(.number(format.format(above)) + .times + .number(format.format(local)))
                    }
                }
            }
            var right = Math.code(formulas.joined(separator: " + "))
            if numbers.count == formulas.count, numbers.count > 0 { right += .equals + .joined(numbers, separator: .plus) }
            explanation.equation(.partial(.symbol("f"), .code(names[index])), right + .equals + Tape.valueWithShape(adjoint, format: format), indent: 1)
        }
        let gradient = Math(text: "grad", latex: "\\nabla") + .equals + .partial(.symbol("f"), .code(variableName))
        guard let variable, let value = adjoints[variable] else {
            explanation.line(gradient + .equals + Tape.valueWithShape(variableValue.map { _ in 0 }, format: format)
                             + .words("  (") + .code(variableName) + .words(" does not reach f)"))
            return explanation
        }
        explanation.line(gradient + .equals + .partial(.symbol("f"), .code(names[variable])) + .equals + Tape.valueWithShape(value, format: format))
        return explanation
    }

    /// How a node was computed, from the names of its inputs: `n1 @ n2`, `sigmoid(n3)`.
    private func formula(of node: Node, names: [String]) -> String {
        let operands = node.inputs.map { names[$0] }
        switch node.operation {
        case .constant(let label): return label
        case .variable(let name): return name
        case .negate: return "-\(operands[0])"
        case .element(let indices, _): return "\(operands[0])[\(indices.map(String.init).joined(separator: ","))]"
        case .select(let axes, _): return "\(operands[0])[\(Self.axesText(axes))]"
        case .join(let horizontal): return (horizontal ? "hcat(" : "vcat(") + operands.joined(separator: ", ") + ")"
        case .list: return "[" + operands.joined(separator: ", ") + "]"
        default:
            if let symbol = node.operation.symbol { return "\(operands[0]) \(symbol) \(operands[1])" }
            return "\(node.operation.functionName ?? "?")(\(operands.joined(separator: ", ")))"
        }
    }

    /// One use's contribution to an input's adjoint: the user's adjoint through its local derivative.
    private func term(user: Int, position: Int, names: [String]) -> String {
        let node = nodes[user]
        let g = "∂f/∂\(names[user])"
        let operands = node.inputs.map { names[$0] }
        let input = nodes[node.inputs[position]].value
        let isScalar: Bool = { if case .scalar = node.value, case .scalar = input { return true } else { return false } }()
        let times = isScalar ? "×" : "⊙"
        let a = operands[0]
        let b = operands.count > 1 ? operands[1] : ""
        let text: String
        switch node.operation {
        case .constant, .variable: text = g
        case .add: text = isScalar ? "\(g) × 1" : g
        case .subtract: text = isScalar ? "\(g) × \(position == 0 ? "1" : "(-1)")" : (position == 0 ? g : "-\(g)")
        case .multiply: text = "\(g) \(times) \(position == 0 ? b : a)"
        case .divide: text = position == 0 ? "\(g) \(times) 1/\(b)" : "\(g) \(times) (-\(a)/\(b)²)"
        case .power: text = position == 0 ? "\(g) \(times) \(b)·\(a)^(\(b) - 1)" : "\(g) \(times) \(a)^\(b)·log(\(a))"
        case .matrixProduct: text = position == 0 ? "\(g) @ \(b)ᵀ" : "\(a)ᵀ @ \(g)"
        case .negate: text = isScalar ? "\(g) × (-1)" : "-\(g)"
        case .activation(let activation) where activation == .softmax:
            text = "\(names[user]) ⊙ (\(g) - Σ \(names[user]) ⊙ \(g))"
        case .activation(let activation): text = "\(g) \(times) \(activation.name)'(\(a))"
        case .slopedActivation(let name):
            text = position == 0 ? "\(g) \(times) \(name)'(\(a), \(b))" : "\(g) \(times) ∂\(name)(\(a), \(b))/∂\(b)"
        case .larger: text = "\(g) \(times) (\(position == 0 ? "\(a) ≥ \(b)" : "\(b) > \(a)"))"
        case .smaller: text = "\(g) \(times) (\(position == 0 ? "\(a) ≤ \(b)" : "\(b) < \(a)"))"
        case .exp: text = "\(g) \(times) exp(\(a))"
        case .sine: text = "\(g) \(times) cos(\(a))"
        case .cosine: text = "\(g) \(times) (-sin(\(a)))"
        case .log: text = "\(g) \(times) 1/\(a)"
        case .squareRoot: text = "\(g) \(times) 1/(2 sqrt(\(a)))"
        case .absoluteValue: text = "\(g) \(times) sign(\(a))"
        case .sum: text = isScalar ? "\(g) × 1" : "\(g) × 1 (each element)"
        case .mean: text = "\(g) / \(input.elements.count)"
        case .maximum: text = isScalar ? "\(g) × 1" : "\(g) at the largest element, 0 elsewhere"
        case .minimum: text = isScalar ? "\(g) × 1" : "\(g) at the smallest element, 0 elsewhere"
        case .transpose: text = "\(g)ᵀ"
        case .element(let indices, _): text = "\(g) at [\(indices.map(String.init).joined(separator: ","))], 0 elsewhere"
        case .select(let axes, _): text = "\(g) at [\(Self.axesText(axes))], 0 elsewhere"
        case .join(let horizontal): text = "the \(horizontal ? "columns" : "rows") of \(g) that came from it"
        case .list: text = "\(g)[\(position + 1)]"
        }
        return Tape.reduced(text, from: node.value, to: input, operation: node.operation)
    }

    /// A term summed down to a broadcast input's shape: over everything, or over the rows.
    private static func reduced(_ text: String, from output: Value, to input: Value, operation: Operation) -> String {
        switch operation {
        case .add, .subtract, .multiply, .divide, .power, .larger, .smaller, .slopedActivation: break
        default: return text
        }
        switch (input, output) {
        case (.scalar, .scalar): return text
        case (.scalar, _): return "sum(\(text))"
        case (.vector, .matrix): return "(column sums of \(text))"
        default: return text
        }
    }

    /// A value for the graph: a number as it is, anything larger with its shape.
    static func valueWithShape(_ value: Value, format: ValueFormatter) -> Math {
        switch value {
        case .scalar, .text: return .value(value, format: format)
        case .vector(let elements): return .value(value, format: format) + .words("  (vector of \(elements.count))")
        case .matrix(let matrix): return .value(value, format: format) + .words("  (\(matrix.rows)×\(matrix.columns))")
        }
    }

    /// Selected positions as explanations write them: ranges of consecutive positions as a:b.
    static func axesText(_ axes: [Axis]) -> String {
        axes.map { axis in
            switch axis {
            case .single(let position): return String(position)
            case .many(let positions):
                if let first = positions.first, let last = positions.last, positions == Array(first...max(first, last)) {
                    return positions.count == 1 ? "\(first):\(first)" : "\(first):\(last)"
                }
                return "[" + positions.map(String.init).joined(separator: ", ") + "]"
            }
        }.joined(separator: ", ")
    }
}
