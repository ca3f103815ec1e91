import NNEngine

// freeze and unfreeze: which layers training leaves alone.

/// freeze L / unfreeze L: keep layer L's weights and biases fixed in train, crossval and step,
/// as PyTorch's `requires_grad_(False)` and Keras's `trainable = False` do.
struct FreezeCommand: Command {
    /// freeze or unfreeze.
    let freezes: Bool

    var spec: CommandSpec {
        freezes
            ? CommandSpec(
                "freeze", .training, "keep layer L's weights and biases fixed in train and step",
                positional: [ArgumentSpec("L", "a layer number", .value)],
                details: [
                    "Gradients still flow through a frozen layer to the layers below it; only its own parameters",
                    "stay, with no weight decay, no clipping share and no optimizer state, as PyTorch leaves a",
                    "parameter with requires_grad=False. 'summary' counts trainable and frozen parameters.",
                    "Freezing belongs to the workspace: 'undo' takes it back, 'clear', 'input', 'example' and 'load'",
                    "start without it, and model files do not keep it.",
                ],
                examples: ["freeze 1", "unfreeze 1"])
            : CommandSpec(
                "unfreeze", .training, "let train and step change layer L again",
                positional: [ArgumentSpec("L", "a layer number", .value)],
                examples: ["unfreeze 1"])
    }

    func run(_ invocation: Invocation) throws(Diagnostic) {
        let name = freezes ? "freeze" : "unfreeze"
        guard let network = invocation.workspace.network else { throw Diagnostic(.noNetwork(command: name), at: invocation.span) }
        guard !network.layers.isEmpty else { throw Diagnostic(.noLayers(command: name), at: invocation.span) }
        let expression = invocation.statement.positional[0]
        let layer = try invocation.session.wholeNumber(expression, what: "a layer number", minimum: 1, maximum: network.layers.count)
        if freezes {
            invocation.workspace.frozenLayers.insert(layer - 1)
        } else {
            invocation.workspace.frozenLayers.remove(layer - 1)
        }
    }
}
