"""Writes descend_paths.json: the paths real torch.optim optimizers take on functions of two
variables, for DescendTests. Rerun from the repository root with
    python3 Tests/NNLangTests/Fixtures/descend_paths.py
(PyTorch 2 on the CPU; the numbers are float64 throughout)."""
import json
import os

import torch

torch.set_default_dtype(torch.float64)

FUNCTIONS = {
    # name: (the expression as nn writes it, the same in torch)
    "rosenbrock": ("(1 - x)^2 + 100*(y - x^2)^2", lambda x, y: (1 - x) ** 2 + 100 * (y - x ** 2) ** 2),
    "saddle": ("x^2 - y^2", lambda x, y: x ** 2 - y ** 2),
    "bowl": ("x^2 + 10*y^2", lambda x, y: x ** 2 + 10 * y ** 2),
}

# name: (the nn options, the torch optimizer)
OPTIMIZERS = {
    "sgd": ("optimizer=sgd lr=0.001", lambda p: torch.optim.SGD(p, lr=0.001)),
    "momentum": ("optimizer=momentum lr=0.001 momentum=0.8",
                 lambda p: torch.optim.SGD(p, lr=0.001, momentum=0.8)),
    "nesterov": ("optimizer=nesterov lr=0.001", lambda p: torch.optim.SGD(p, lr=0.001, momentum=0.9, nesterov=True)),
    "adagrad": ("optimizer=adagrad lr=0.3", lambda p: torch.optim.Adagrad(p, lr=0.3)),
    "rmsprop": ("optimizer=rmsprop lr=0.01 alpha=0.9", lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9)),
    "adam": ("optimizer=adam lr=0.05 beta1=0.8 beta2=0.99 eps=1e-6",
             lambda p: torch.optim.Adam(p, lr=0.05, betas=(0.8, 0.99), eps=1e-6)),
    "rprop": ("optimizer=rprop lr=0.01 eta_plus=1.3 step_max=0.5",
              lambda p: torch.optim.Rprop(p, lr=0.01, etas=(0.5, 1.3), step_sizes=(1e-6, 0.5))),
}

START = [-1.5, 1.5]
STEPS = 25


def path(function, make_optimizer):
    point = torch.tensor(START, requires_grad=True)
    optimizer = make_optimizer([point])
    rows = [point.detach().tolist()]
    for _ in range(STEPS):
        optimizer.zero_grad()
        function(point[0], point[1]).backward()
        optimizer.step()
        rows.append(point.detach().tolist())
    return rows


cases = []
for function_name, (expression, function) in FUNCTIONS.items():
    for optimizer_name, (options, make_optimizer) in OPTIMIZERS.items():
        cases.append({
            "name": f"{optimizer_name} on {function_name}",
            "statement": f"descend {expression} from=[{START[0]}, {START[1]}] {options} steps={STEPS}",
            "path": path(function, make_optimizer),
        })

here = os.path.dirname(os.path.abspath(__file__))
# One case a block and one point a line, so that a change reads as a diff of points.
with open(os.path.join(here, "descend_paths.json"), "w") as file:
    file.write('{"torch": %s, "cases": [\n' % json.dumps(torch.__version__))
    for index, case in enumerate(cases):
        file.write('{"name": %s, "statement": %s, "path": [\n' % (json.dumps(case["name"]), json.dumps(case["statement"])))
        file.write(",\n".join(json.dumps(point) for point in case["path"]))
        file.write("\n]}%s\n" % ("," if index < len(cases) - 1 else ""))
    file.write("]}\n")
