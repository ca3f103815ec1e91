#!/usr/bin/env python3
"""Reference values for the training toolbox (Rprop, L-BFGS, gradient clipping, frozen layers,
the cyclic, one-cycle and warm-up schedules), from PyTorch itself, in float64.

Writes the Swift literal Tests/NNEngineTests/ToolboxReference.swift, which ToolboxTests reads.
Rerun from the package's root with

    python3 Tests/NNEngineTests/Fixtures/toolbox.py > Tests/NNEngineTests/ToolboxReference.swift
"""
import torch
from torch import nn

torch.set_default_dtype(torch.float64)

# The 3-4-2 network of the tests: tanh hidden layer, sigmoid outputs, nn's mse loss (the mean
# of (t − y)² over samples × outputs), six samples.
W1 = [[0.1, -0.2, 0.3], [0.4, 0.5, -0.6], [-0.7, 0.8, 0.9], [0.2, -0.3, 0.1]]
B1 = [0.05, -0.05, 0.1, 0.0]
W2 = [[0.3, -0.4, 0.2, 0.6], [-0.5, 0.1, 0.7, -0.2]]
B2 = [0.1, -0.1]
X = [[0.5, -1.0, 2.0], [1.5, 0.2, -0.3], [-0.7, 0.9, 0.4], [0.0, -0.5, -1.2], [2.0, 1.0, 0.5], [-1.5, 0.3, 0.8]]
T = [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]


def model():
    network = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2), nn.Sigmoid())
    with torch.no_grad():
        network[0].weight.copy_(torch.tensor(W1)); network[0].bias.copy_(torch.tensor(B1))
        network[2].weight.copy_(torch.tensor(W2)); network[2].bias.copy_(torch.tensor(B2))
    return network


def loss_of(network):
    return ((network(torch.tensor(X)) - torch.tensor(T)) ** 2).mean()


def flat(network):
    return [v for p in network.parameters() for v in p.detach().flatten().tolist()]


def train(make_optimizer, steps, clip=None, l1=0.0, frozen=()):
    network = model()
    for index in frozen:
        for p in network[2 * index].parameters():
            p.requires_grad_(False)
    optimizer = make_optimizer([p for p in network.parameters() if p.requires_grad])
    for _ in range(steps):
        def closure():
            optimizer.zero_grad()
            loss = loss_of(network)
            loss.backward()
            return loss
        if isinstance(optimizer, torch.optim.LBFGS):
            optimizer.step(closure)
            continue
        closure()
        if l1:
            for p in network.parameters():
                if p.grad is not None:
                    p.grad += l1 * torch.sign(p.detach())
        if clip is not None:
            nn.utils.clip_grad_norm_([p for p in network.parameters() if p.requires_grad], clip)
        optimizer.step()
    return flat(network)


def fann_rprop(steps, delta_zero=0.1, increase=1.2, decrease=0.5, delta_min=0.0, delta_max=50.0):
    """FANN's FANN_TRAIN_RPROP as fann_update_weights_irpropm writes it (FANN's slope is −∂E/∂w;
    only its sign counts, so nn's mse gradient from torch serves)."""
    network = model()
    parameters = list(network.parameters())
    steps_kept = [torch.full_like(p, delta_zero) for p in parameters]
    slopes_kept = [torch.zeros_like(p) for p in parameters]
    for _ in range(steps):
        network.zero_grad()
        loss_of(network).backward()
        with torch.no_grad():
            for p, prev_steps, prev_slopes in zip(parameters, steps_kept, slopes_kept):
                values, step_flat, slope_flat = p.view(-1), prev_steps.view(-1), prev_slopes.view(-1)
                for i, gradient in enumerate(p.grad.view(-1).tolist()):
                    prev_step = max(step_flat[i].item(), 0.0001)
                    slope = -gradient
                    if slope_flat[i].item() * slope >= 0.0:
                        next_step = min(prev_step * increase, delta_max)
                    else:
                        next_step = max(prev_step * decrease, delta_min)
                        slope = 0.0
                    weight = values[i].item()
                    weight = max(weight - next_step, -1500.0) if slope < 0 else min(weight + next_step, 1500.0)
                    values[i] = weight
                    step_flat[i] = next_step
                    slope_flat[i] = slope
    return flat(network)


def rates(make_scheduler, epochs, lr):
    parameter = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([parameter], lr=lr)
    scheduler = make_scheduler(optimizer)
    result = []
    for _ in range(epochs):
        result.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return result


def warm(n, main):
    def make(optimizer):
        return torch.optim.lr_scheduler.SequentialLR(
            optimizer, [torch.optim.lr_scheduler.LinearLR(optimizer, total_iters=n), main(optimizer)], milestones=[n])
    return make


S = torch.optim.lr_scheduler
training = [
    ("rprop", 5, lambda p: torch.optim.Rprop(p, lr=0.01), {}),
    ("rprop, etas 0.3 1.5, steps 0.002 0.05, lr 0.1", 6,
     lambda p: torch.optim.Rprop(p, lr=0.1, etas=(0.3, 1.5), step_sizes=(0.002, 0.05)), {}),
    ("rprop, l1 0.01", 4, lambda p: torch.optim.Rprop(p, lr=0.01), {"l1": 0.01}),
    ("lbfgs", 3, lambda p: torch.optim.LBFGS(p, lr=1), {}),
    ("lbfgs, lr 0.5, history 3, max_iter 7", 3, lambda p: torch.optim.LBFGS(p, lr=0.5, history_size=3, max_iter=7), {}),
    ("lbfgs, strong wolfe", 3, lambda p: torch.optim.LBFGS(p, lr=1, line_search_fn="strong_wolfe"), {}),
    ("lbfgs, strong wolfe, lr 0.1, frozen 1", 2,
     lambda p: torch.optim.LBFGS(p, lr=0.1, line_search_fn="strong_wolfe"), {"frozen": (0,)}),
    ("sgd, clip 0.05", 3, lambda p: torch.optim.SGD(p, lr=0.5), {"clip": 0.05}),
    ("adam, clip 0.01, weight decay 0.1", 3, lambda p: torch.optim.Adam(p, lr=0.05, weight_decay=0.1), {"clip": 0.01}),
    ("momentum, clip 0.02, l1 0.05", 3, lambda p: torch.optim.SGD(p, lr=0.5, momentum=0.9, dampening=0), {"clip": 0.02, "l1": 0.05}),
    ("sgd, clip 100 (no effect)", 2, lambda p: torch.optim.SGD(p, lr=0.5), {"clip": 100.0}),
    ("adam, weight decay 0.1, frozen 1", 3, lambda p: torch.optim.Adam(p, lr=0.05, weight_decay=0.1), {"frozen": (0,)}),
    ("rprop, frozen 2", 3, lambda p: torch.optim.Rprop(p, lr=0.01), {"frozen": (1,)}),
]
schedules = [
    ("cyclic 0.01 to 0.1, every 3", 15, 0.1,
     lambda o: S.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=3, cycle_momentum=False)),
    ("onecycle 0.1 over 20", 20, 0.1, lambda o: S.OneCycleLR(o, max_lr=0.1, total_steps=20)),
    ("onecycle 0.1 over 7", 7, 0.1, lambda o: S.OneCycleLR(o, max_lr=0.1, total_steps=7)),
    ("warmup 3, constant", 6, 0.1, warm(3, lambda o: S.ConstantLR(o, factor=1.0, total_iters=0))),
    ("warmup 3, step every 4 gamma 0.5", 14, 0.1, warm(3, lambda o: S.StepLR(o, step_size=4, gamma=0.5))),
    ("warmup 2, exponential 0.9", 8, 0.2, warm(2, lambda o: S.ExponentialLR(o, gamma=0.9))),
    ("warmup 4, cosine over 10 to 0.001", 14, 0.1, warm(4, lambda o: S.CosineAnnealingLR(o, T_max=10, eta_min=0.001))),
    ("warmup 2, cyclic 0.01 to 0.1, every 2", 12, 0.1,
     warm(2, lambda o: S.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=2, cycle_momentum=False))),
    ("warmup 3, onecycle 0.1 over 12", 15, 0.1, warm(3, lambda o: S.OneCycleLR(o, max_lr=0.1, total_steps=12))),
]


def swift(values):
    return "[" + ", ".join(repr(v) for v in values) + "]"


print("// Generated by Tests/NNEngineTests/Fixtures/toolbox.py from PyTorch " + torch.__version__.split("+")[0] + "; do not edit.")
print("// Rerun: python3 Tests/NNEngineTests/Fixtures/toolbox.py > Tests/NNEngineTests/ToolboxReference.swift")
print()
print("enum ToolboxReference {")
print("    /// Name, steps, and the parameters after them in torch's order (W1 row by row, b1, W2, b2).")
print("    static let training: [String: (steps: Int, parameters: [Double])] = [")
for name, steps, make, extra in training:
    print(f"        \"{name}\": ({steps}, {swift(train(make, steps, **extra))}),")
print(f"        \"rprop, variant fann\": (6, {swift(fann_rprop(6))}),")
print(f"        \"rprop, variant fann, lr 0.05, etas 0.4 1.3, steps 0.01 0.2\": (6, {swift(fann_rprop(6, 0.05, 1.3, 0.4, 0.01, 0.2))}),")
print("    ]")
print()
print("    /// Name and the rate of each epoch.")
print("    static let schedules: [String: [Double]] = [")
for name, epochs, lr, make in schedules:
    print(f"        \"{name}\": {swift(rates(make, epochs, lr))},")
print("    ]")
print("}")
