import NNEngine

/// `export model "m.py"`: a standalone PyTorch script of the model: an `nn.Sequential` of the
/// layers (named as `PyTorchParameters` names them), the weights inline or in an `.npz`
/// beside it, the normalization, `predict`, and a training loop with nn's loss and the
/// session's optimizer that runs on one process, a GPU, or under `torchrun` with
/// `DistributedDataParallel`. docs/pytorch.md describes it.
enum PyTorchScript {
    /// Networks with more parameters than this keep them in an `.npz` beside the script.
    static let inlineParameterLimit = 10_000

    struct Model {
        var network: Network
        var normalization: Normalization?
        var classNames: [String]
        var loss: Loss
        var optimizer: OptimizerSettings
        var learningRate: Double
        var precision: Precision
        /// The training data's first raw rows, which the script predicts when run without arguments.
        var firstRows: Matrix?
        /// The last `train`'s epochs, batch size, shuffling and schedule: the script's defaults.
        var training: TrainingConfiguration?
        /// The layers `freeze` fixed: the script's training leaves them alone too.
        var frozenLayers: Set<Int> = []
    }

    /// The script's text; `archiveName` is the `.npz` beside it that holds the parameters, or
    /// nil to write them inline.
    static func encode(_ model: Model, archiveName: String?) -> String {
        let network = model.network
        var modules: [String] = []
        for (index, layer) in network.layers.enumerated() {
            modules.append("nn.Linear(\(layer.inputCount), \(layer.units)),  # \(PyTorchParameters.key(layer: index, in: network, "weight")): nn's W\(index + 1)")
            if layer.batchNorm != nil {
                modules.append("nn.BatchNorm1d(\(layer.units), eps=\(BatchNorm.epsilon), momentum=\(BatchNorm.momentum)),  # nn's gamma\(index + 1), beta\(index + 1)")
            }
            modules.append(module(layer.activation) + ",")
        }
        var lines: [String] = []
        lines += header
        lines.append("DTYPE = torch.\(model.precision == .float32 ? "float32" : "float64")")
        lines.append("CLASS_NAMES = [" + model.classNames.map(pythonString).joined(separator: ", ") + "]")
        if let normalization = model.normalization {
            lines.append("# normalize \(normalization.method.rawValue): x ↦ (x − OFFSETS) / SCALES, with the training data's statistics")
            lines.append("OFFSETS = \(numbers(normalization.offsets))")
            lines.append("SCALES = \(numbers(normalization.scales))")
        } else {
            lines.append("OFFSETS = None  # no normalization")
            lines.append("SCALES = None")
        }
        lines.append("# The training data's first rows, raw; run with no arguments to print their predictions.")
        lines.append("FIRST_ROWS = \(model.firstRows.map { matrix($0) } ?? "[]")")
        lines.append("")
        lines.append("")
        lines.append("def make_model():")
        lines.append("    return nn.Sequential(")
        lines += modules.map { "        " + $0 }
        lines.append("    ).to(DTYPE)")
        lines.append("")
        lines.append("")
        if let archiveName {
            lines.append("def parameters():")
            lines.append("    \"\"\"The trained weights and biases, named as model.state_dict() names them.\"\"\"")
            lines.append("    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), \(pythonString(archiveName)))")
            lines.append("    with np.load(path) as archive:")
            lines.append("        return {name: torch.from_numpy(archive[name]) for name in archive.files}")
        } else {
            lines.append("def parameters():")
            lines.append("    \"\"\"The trained weights and biases, named as model.state_dict() names them.\"\"\"")
            lines.append("    return {")
            for entry in PyTorchParameters.stateDict(network) {
                let values = entry.isCount ? String(Int(entry.values[0]))
                    : entry.shape.count == 2 ? matrix(Matrix(rows: entry.shape[0], columns: entry.shape[1], storage: entry.values))
                    : numbers(entry.values)
                lines.append("        \"\(entry.key)\": torch.tensor(\(values), dtype=torch.\(entry.isCount ? "int64" : "float64")),")
            }
            lines.append("    }")
        }
        lines.append("")
        lines.append("")
        lines += lossFunction(model.loss)
        lines.append("")
        lines.append("")
        lines += optimizerFunction(model.training?.optimizer ?? model.optimizer, learningRate: model.training?.learningRate ?? model.learningRate,
                                   clipNorm: model.training?.clipNorm, frozen: model.frozenLayers)
        lines += schedulerFunction(model.training)
        lines += footer
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: - Pieces

    private static func module(_ activation: Activation) -> String {
        switch activation {
        case .linear: "nn.Identity()"
        case .step: "Step()"
        case .sign: "Sign()"
        case .piecewiseLinear: "PiecewiseLinear()"
        case .sigmoid: "nn.Sigmoid()"
        case .tanh: "nn.Tanh()"
        case .relu: "nn.ReLU()"
        case .leakyRelu(let alpha): "nn.LeakyReLU(\(alpha))"
        case .elu(let alpha): "nn.ELU(\(alpha))"
        case .softplus: "nn.Softplus()"
        case .softmax: "nn.Softmax(dim=1)"
        }
    }

    /// nn's loss, term by term as `Loss.term` defines it, averaged as `Loss.averagingCount` says.
    private static func lossFunction(_ loss: Loss) -> [String] {
        let epsilon = "\(Loss.probabilityEpsilon)"
        let (term, perOutput): (String, Bool)
        switch loss {
        case .sse: (term, perOutput) = ("0.5 * (target - output) ** 2", false)
        case .mse: (term, perOutput) = ("(target - output) ** 2", true)
        case .crossEntropy: (term, perOutput) = ("-target * torch.log(output.clamp(\(epsilon), 1 - \(epsilon)))", false)
        case .binaryCrossEntropy:
            (term, perOutput) = ("-(target * torch.log(output.clamp(\(epsilon), 1 - \(epsilon))) + (1 - target) * torch.log(1 - output.clamp(\(epsilon), 1 - \(epsilon))))", true)
        case .huber(let delta):
            (term, perOutput) = ("torch.where((output - target).abs() <= \(delta), 0.5 * (output - target) ** 2, \(delta) * ((output - target).abs() - 0.5 * \(delta)))", true)
        case .pseudoHuber(let delta):
            (term, perOutput) = ("\(delta) ** 2 * (torch.sqrt(1 + ((output - target) / \(delta)) ** 2) - 1)", true)
        }
        return [
            "def loss_function(output, target):",
            "    \"\"\"nn's \(loss.name): the sum of each output's term over \(perOutput ? "samples × outputs" : "samples").\"\"\"",
            "    terms = \(term)",
            "    return terms.sum() / \(perOutput ? "terms.numel()" : "terms.shape[0]")",
        ]
    }

    /// The last train's epochs, batch and shuffling, and `make_scheduler`: the torch.optim.lr_scheduler
    /// nn's schedule follows (LearningRateSchedule's comments), stepped once per epoch.
    private static func schedulerFunction(_ training: TrainingConfiguration?) -> [String] {
        var lines = [
            "",
            "# The last train's run, the defaults of --epochs, --batch and --shuffle.",
            "EPOCHS = \(training?.epochs ?? 10)",
            "BATCH = \(training?.batchSize ?? 0)  # 0: all the samples in one step",
            "SHUFFLE = \(training?.shuffle == true ? "True" : "False")",
            "",
            "",
            "def make_scheduler(optimizer):",
        ]
        let scheduler = "torch.optim.lr_scheduler."
        var main: [String]
        switch training?.schedule ?? .constant {
        case .constant:
            main = []
        case .step(let every, let gamma):
            main = ["\(scheduler)StepLR(optimizer, step_size=\(every), gamma=\(gamma))"]
        case .exponential(let gamma):
            main = ["\(scheduler)ExponentialLR(optimizer, gamma=\(gamma))"]
        case .cosine(let period, let minimum):
            main = ["\(scheduler)CosineAnnealingLR(optimizer, T_max=\(period), eta_min=\(minimum))"]
        case .plateau(let factor, let patience, let threshold, let minimum):
            main = ["\(scheduler)ReduceLROnPlateau(optimizer, mode=\"min\", factor=\(factor), patience=\(patience),",
                    "                                                      threshold=\(threshold), threshold_mode=\"rel\", min_lr=\(minimum))"]
        case .cyclic(let minimum, let every):
            main = ["\(scheduler)CyclicLR(optimizer, base_lr=\(minimum), max_lr=optimizer.param_groups[0][\"lr\"], step_size_up=\(every),",
                    "                                             mode=\"triangular\", cycle_momentum=False)"]
        case .oneCycle(let epochs):
            main = ["\(scheduler)OneCycleLR(optimizer, max_lr=optimizer.param_groups[0][\"lr\"], total_steps=\(epochs), cycle_momentum=False)"]
        }
        let warmup = training?.warmupEpochs ?? 0
        if warmup > 0 {
            // LinearLR first: SequentialLR takes the rate the later one leaves as the warm-up's goal.
            lines.append("    warmup = \(scheduler)LinearLR(optimizer, start_factor=1 / 3, total_iters=\(warmup))")
            if main.isEmpty {
                lines.append("    return warmup")
            } else {
                lines.append("    schedule = " + main[0])
                lines += main.dropFirst()
                lines.append("    return \(scheduler)SequentialLR(optimizer, [warmup, schedule], milestones=[\(warmup)])")
            }
        } else if main.isEmpty {
            lines.append("    return None  # a constant rate")
        } else {
            lines.append("    return " + main[0])
            lines += main.dropFirst()
        }
        return lines
    }

    /// The torch.optim optimizer whose rule nn's optimizer follows (OptimizerKind's comments).
    private static func optimizerFunction(_ settings: OptimizerSettings, learningRate: Double, clipNorm: Double? = nil,
                                          frozen: Set<Int> = []) -> [String] {
        let decay = "weight_decay=\(settings.weightDecay)"
        let made: String
        switch settings.kind {
        case .sgd: made = "torch.optim.SGD(parameters, lr=lr, \(decay))"
        case .momentum: made = "torch.optim.SGD(parameters, lr=lr, momentum=\(settings.momentum), dampening=0, \(decay))"
        case .nesterov: made = "torch.optim.SGD(parameters, lr=lr, momentum=\(settings.momentum), dampening=0, nesterov=True, \(decay))"
        case .adagrad: made = "torch.optim.Adagrad(parameters, lr=lr, eps=\(settings.epsilon), \(decay))"
        case .rmsprop: made = "torch.optim.RMSprop(parameters, lr=lr, alpha=\(settings.alpha), eps=\(settings.epsilon), \(decay))"
        case .adam: made = "torch.optim.Adam(parameters, lr=lr, betas=(\(settings.beta1), \(settings.beta2)), eps=\(settings.epsilon), \(decay))"
        case .rprop:
            made = "torch.optim.Rprop(parameters, lr=lr, etas=(\(settings.etaMinus), \(settings.etaPlus)), step_sizes=(\(settings.stepMinimum), \(settings.stepMaximum)))"
        case .lbfgs:
            made = "torch.optim.LBFGS(parameters, lr=lr, max_iter=\(settings.maxIterations), tolerance_grad=\(settings.toleranceGradient), "
                + "tolerance_change=\(settings.toleranceChange), history_size=\(settings.historySize), "
                + "line_search_fn=\(settings.strongWolfe ? "\"strong_wolfe\"" : "None"))"
        }
        let note = settings.kind == .rprop && settings.fannRprop
            ? ["# nn trained with FANN's Rprop variant (variant=fann); torch's Rprop, below, differs from it in details"] : []
        return note + [
            "LEARNING_RATE = \(learningRate)",
            "L1 = \(settings.l1)  # λ₁: g ← g + λ₁ sign(θ) before each step",
            "CLIP = \(clipNorm.map { "\($0)" } ?? "None")  # clip_grad_norm_'s max_norm after L1 is added, or None",
            "FROZEN = \(frozen.sorted())  # the Linear layers (from 0) whose parameters stay fixed",
            "",
            "",
            "def make_optimizer(parameters, lr):",
            "    return \(made)",
        ]
    }

    private static let header = [
        "#!/usr/bin/env python3",
        "\"\"\"A network exported by nn (export model \"….py\"), to predict and to keep training in PyTorch.",
        "",
        "    python3 THIS.py                      predict the training data's first rows, as nn does",
        "    python3 THIS.py --train d.npz        keep training on arrays x (raw inputs) and y (targets)",
        "    torchrun --nproc_per_node=N THIS.py --train d.npz   the same on N processes (DistributedDataParallel)",
        "",
        "x holds raw inputs (this script normalizes them); y holds what the network's outputs should be",
        "(one-hot rows for classes). Options: --epochs N, --lr X, --batch N, --shuffle, --save FILE.npz.",
        "\"\"\"",
        "import argparse",
        "import gc",
        "import os",
        "",
        "import numpy as np",
        "import torch",
        "import torch.distributed as dist",
        "from torch import nn",
        "",
        "",
        "class Step(nn.Module):",
        "    \"\"\"nn's step: 0 below 0, ½ at 0, 1 above.\"\"\"",
        "    def forward(self, z):",
        "        return (torch.sign(z) + 1) * 0.5",
        "",
        "",
        "class Sign(nn.Module):",
        "    def forward(self, z):",
        "        return torch.sign(z)",
        "",
        "",
        "class PiecewiseLinear(nn.Module):",
        "    \"\"\"nn's piecewise_linear: z + ½ clipped to [0, 1].\"\"\"",
        "    def forward(self, z):",
        "        return torch.clamp(z + 0.5, 0, 1)",
        "",
        "",
    ]

    private static let footer = [
        "",
        "",
        "def normalize(x):",
        "    return x if OFFSETS is None else (x - torch.tensor(OFFSETS, dtype=DTYPE)) / torch.tensor(SCALES, dtype=DTYPE)",
        "",
        "",
        "def predict(model, x):",
        "    \"\"\"The network's outputs for raw inputs x: [samples, inputs] -> [samples, outputs].\"\"\"",
        "    model.eval()  # batch normalization by its running statistics",
        "    with torch.no_grad():",
        "        return model(normalize(torch.as_tensor(x, dtype=DTYPE)))",
        "",
        "",
        "def train(model, x, y, epochs, lr, batch, shuffle, device):",
        "    \"\"\"nn's training loop: per epoch, steps on batches in row order (or shuffled), and the epoch's",
        "    loss as the mean of the batch losses weighted by batch size. Under torchrun each process",
        "    takes its share of every epoch (DistributedSampler) and DistributedDataParallel averages the gradients.\"\"\"",
        "    distributed = dist.is_available() and dist.is_initialized()",
        "    data = torch.utils.data.TensorDataset(normalize(torch.as_tensor(x, dtype=DTYPE)), torch.as_tensor(y, dtype=DTYPE))",
        "    sampler = torch.utils.data.DistributedSampler(data, shuffle=shuffle) if distributed else None",
        "    loader = torch.utils.data.DataLoader(data, batch_size=batch or len(data), sampler=sampler,",
        "                                         shuffle=shuffle and sampler is None)",
        "    for index in FROZEN:",
        "        [m for m in model if isinstance(m, nn.Linear)][index].requires_grad_(False)",
        "    network = model.to(device)",
        "    network.train()  # batch normalization by each batch's statistics",
        "    if distributed:",
        "        network = nn.parallel.DistributedDataParallel(model, device_ids=[device.index] if device.type == \"cuda\" else None)",
        "    optimizer = make_optimizer([p for p in network.parameters() if p.requires_grad], lr)",
        "    scheduler = make_scheduler(optimizer)",
        "    losses = []",
        "    for epoch in range(epochs):",
        "        if sampler is not None:",
        "            sampler.set_epoch(epoch)",
        "        total = torch.zeros(2, dtype=torch.float64, device=device)  # Σ batch loss × batch size, Σ batch size",
        "        for inputs, targets in loader:",
        "            inputs, targets = inputs.to(device), targets.to(device)",
        "            if isinstance(optimizer, torch.optim.LBFGS):  # full-batch: the loss is re-evaluated in the step",
        "                def closure():",
        "                    optimizer.zero_grad()",
        "                    loss = loss_function(network(inputs), targets)",
        "                    loss.backward()",
        "                    return loss",
        "                loss = optimizer.step(closure)",
        "                total += torch.tensor([loss.item() * len(inputs), len(inputs)], dtype=torch.float64, device=device)",
        "                continue",
        "            optimizer.zero_grad()",
        "            loss = loss_function(network(inputs), targets)",
        "            loss.backward()",
        "            if L1:",
        "                for parameter in network.parameters():",
        "                    if parameter.grad is not None:",
        "                        parameter.grad += L1 * torch.sign(parameter.detach())",
        "            if CLIP is not None:",
        "                nn.utils.clip_grad_norm_([p for p in network.parameters() if p.grad is not None], CLIP)",
        "            optimizer.step()",
        "            total += torch.tensor([loss.item() * len(inputs), len(inputs)], dtype=torch.float64, device=device)",
        "        if distributed:",
        "            dist.all_reduce(total)",
        "        losses.append((total[0] / total[1]).item())",
        "        if not distributed or dist.get_rank() == 0:",
        "            print(f\"epoch {epoch + 1}: loss {losses[-1]!r}\", flush=True)",
        "        if isinstance(scheduler, torch.optim.lr_scheduler.ReduceLROnPlateau):",
        "            scheduler.step(losses[-1])",
        "        elif scheduler is not None:",
        "            scheduler.step()",
        "    return losses",
        "",
        "",
        "def main():",
        "    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])",
        "    parser.add_argument(\"--train\", metavar=\"FILE.npz\", help=\"arrays x (raw inputs) and y (targets)\")",
        "    parser.add_argument(\"--epochs\", type=int, default=EPOCHS)",
        "    parser.add_argument(\"--lr\", type=float, default=LEARNING_RATE)",
        "    parser.add_argument(\"--batch\", type=int, default=BATCH, help=\"samples per step; 0: all at once\")",
        "    parser.add_argument(\"--shuffle\", action=argparse.BooleanOptionalAction, default=SHUFFLE)",
        "    parser.add_argument(\"--save\", metavar=\"FILE.npz\", help=\"write the trained state_dict here\")",
        "    arguments = parser.parse_args()",
        "",
        "    model = make_model()",
        "    model.load_state_dict(parameters())",
        "    if arguments.train is None:",
        "        for row in predict(model, FIRST_ROWS).tolist():",
        "            print(\" \".join(repr(value) for value in row))",
        "        return",
        "",
        "    distributed = int(os.environ.get(\"WORLD_SIZE\", \"1\")) > 1",
        "    device = torch.device(\"cpu\")",
        "    if torch.cuda.is_available():",
        "        device = torch.device(\"cuda\", int(os.environ.get(\"LOCAL_RANK\", \"0\")))",
        "        torch.cuda.set_device(device)",
        "    if distributed:",
        "        dist.init_process_group(\"nccl\" if device.type == \"cuda\" else \"gloo\")",
        "    with np.load(arguments.train) as archive:",
        "        x, y = archive[\"x\"], archive[\"y\"]",
        "    train(model, x, y, arguments.epochs, arguments.lr, arguments.batch, arguments.shuffle, device)",
        "    if arguments.save and (not distributed or dist.get_rank() == 0):",
        "        np.savez(arguments.save, **{name: value.detach().cpu().numpy() for name, value in model.state_dict().items()})",
        "    if distributed:",
        "        # The DistributedDataParallel wrapper holds the process group through reference cycles;",
        "        # freeing it now, not at exit, keeps gloo's threads from aborting the process.",
        "        gc.collect()",
        "        dist.barrier()  # every rank done before any tears the group down",
        "        dist.destroy_process_group()",
        "",
        "",
        "if __name__ == \"__main__\":",
        "    main()",
    ]

    // MARK: - Numbers as Python

    /// Swift's shortest round-trip spelling, which Python reads back to the same float64.
    private static func numbers(_ values: [Double]) -> String {
        "[" + values.map { "\($0)" }.joined(separator: ", ") + "]"
    }

    private static func matrix(_ matrix: Matrix) -> String {
        "[" + (0..<matrix.rows).map { numbers(matrix.row($0)) }.joined(separator: ", ") + "]"
    }

    /// A Python string literal; JSON's escapes are Python's too.
    private static func pythonString(_ text: String) -> String {
        String(ONNXExport.jsonArray([text]).dropFirst().dropLast())
    }
}
