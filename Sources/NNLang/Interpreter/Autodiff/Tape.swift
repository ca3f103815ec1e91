/// The record of a computation for reverse-mode automatic differentiation.
///
/// The forward pass appends one node per operation, in the order they run, each with its value
/// and how to send a gradient back through it. `adjoints(of:seed:)` then walks the nodes once
/// in reverse: a node's adjoint ∂f/∂node is the sum, over every node that used it, of that
/// user's adjoint times its local derivative. Only nodes the variable flows into take part;
/// everything else is a constant with zero gradient.
struct Tape {
    /// One value computed on the way to the result.
    struct Node {
        var operation: Operation
        /// The nodes this one was computed from, by index, in operand order.
        var inputs: [Int]
        var value: Value
        /// Whether the variable flows into this node: only such nodes get an adjoint.
        var dependsOnVariable: Bool
        /// ∂f/∂this node → the contribution to ∂f/∂input for each input, shaped like that input.
        var backward: (Value) -> [Value]
        /// Each input's local derivative ∂node/∂input, elementwise, where it is elementwise
        /// (nil for @, indexing and lists, and for activations and reductions of a vector or
        /// matrix): `explain` shows it where it is one number.
        var local: [Value?]
    }

    private(set) var nodes: [Node] = []

    /// A leaf that does not depend on the variable: a number, another variable, `loss`.
    mutating func constant(_ value: Value, label: String) -> Int {
        append(Node(operation: .constant(label), inputs: [], value: value, dependsOnVariable: false, backward: { _ in [] }, local: []))
    }

    /// The leaf everything is differentiated with respect to.
    mutating func variable(_ value: Value, name: String) -> Int {
        append(Node(operation: .variable(name), inputs: [], value: value, dependsOnVariable: true, backward: { _ in [] }, local: []))
    }

    /// Runs `operation` forward on the values of `inputs` and records it.
    mutating func record(_ operation: Operation, _ inputs: [Int]) throws(Problem) -> Int {
        let needsGradient = inputs.map { nodes[$0].dependsOnVariable }
        let step = try operation.forward(inputs.map { nodes[$0].value }, needsGradient: needsGradient)
        let depends = needsGradient.contains(true)
        return append(Node(operation: operation, inputs: inputs, value: step.value, dependsOnVariable: depends, backward: step.backward, local: step.local))
    }

    private mutating func append(_ node: Node) -> Int {
        nodes.append(node)
        return nodes.count - 1
    }

    /// ∂(seed · node `output`)/∂node for every node the variable flows into, nil for the others.
    ///
    /// With `seed` 1 and a scalar output this is the gradient; a one-hot seed on a vector output
    /// gives one row of its Jacobian. Each node's adjoint is complete before it is used, because
    /// every user of a node was recorded after it.
    func adjoints(of output: Int, seed: Value) -> [Value?] {
        var adjoints = [Value?](repeating: nil, count: nodes.count)
        adjoints[output] = seed
        for index in stride(from: output, through: 0, by: -1) {
            let node = nodes[index]
            guard node.dependsOnVariable, !node.inputs.isEmpty, let adjoint = adjoints[index] else { continue }
            for (input, contribution) in zip(node.inputs, node.backward(adjoint)) where nodes[input].dependsOnVariable {
                adjoints[input] = adjoints[input].map { Elementwise.combine($0, contribution, +) } ?? contribution
            }
        }
        return adjoints
    }
}
