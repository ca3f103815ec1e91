"""nn's exports checked by their real consumers: onnx.checker, onnxruntime, NumPy and PyTorch.

Run by InteropTests.swift (so `swift test` runs it) with NN_BINARY set to the binary under
test; needs onnx, onnxruntime and torch (CPU), which scripts/setup.sh installs. Each case
builds a network in nn, exports it, and compares what the consumer computes with nn's own
`predict` of the same raw inputs.
"""
import csv
import importlib.util
import inspect
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import unittest

import numpy as np
import onnx
import onnxruntime
import torch

NN = os.path.abspath(os.environ.get("NN_BINARY", ".build/debug/nn"))
ACTIVATIONS = ["linear", "step", "sign", "piecewise_linear", "sigmoid", "tanh", "relu",
               "leaky_relu alpha=0.2", "elu alpha=0.7", "softplus", "softmax"]
OUTPUTS = ["softmax", "sigmoid", "linear"]


def matrix_text(values):
    return "[" + ", ".join("[" + ", ".join(repr(float(v)) for v in row) + "]" for row in values) + "]"


def raw_inputs(rows=24, seed=0):
    """Iris-like raw measurements, spread wide so every activation sees both signs."""
    generator = np.random.default_rng(seed)
    return generator.uniform(-2, 9, size=(rows, 4))


class Case:
    """A network built by an nn program, with the raw inputs it is checked on."""

    def __init__(self, name, program):
        self.name = name
        self.program = program
        self.inputs = raw_inputs()


def cases():
    table = []
    for index, hidden in enumerate(ACTIVATIONS):
        output = OUTPUTS[index % len(OUTPUTS)]
        normalize = ["normalize standard", "normalize minmax", ""][index % 3]
        table.append(Case(f"{hidden} then {output}, {normalize or 'raw'}", "\n".join([
            f"set seed {index + 1}", "data iris", normalize, "input 4", f"layer 5 {hidden}", f"layer 3 {output}",
            "loss cross_entropy" if output == "softmax" else "loss mse"])))
    table.append(Case("two hidden layers, one sigmoid output", "\n".join([
        "set seed 9", "data x=[[0, 0, 1, 2], [1, 1, 0, 3]] y=[[0], [1]]", "normalize standard",
        "input 4", "layer 7 relu", "layer 4 tanh", "layer 1 sigmoid", "loss binary_cross_entropy"])))
    # Trained, so that the running statistics the exports carry are not the initial 0 and 1.
    table.append(Case("batch normalization on both layers, trained", "\n".join([
        "set seed 12", "data iris", "normalize standard", "input 4", "layer 5 relu batchnorm=true",
        "layer 3 softmax batchnorm=true", "loss cross_entropy", "train epochs=3 batch=10 lr=0.1 quiet=true"])))
    return table


class Exported:
    """A case run through nn in a folder of its own: its files and nn's predictions."""

    def __init__(self, case, exports):
        self.folder = tempfile.mkdtemp(prefix="nn-interop-")
        self.case = case
        program = case.program + "\n" + "\n".join([
            "set precision 17",
            f"XR = {matrix_text(case.inputs)}",
            'export predict(XR) "predicted.npy"',
        ] + exports) + "\n"
        run = subprocess.run([NN], input=program, text=True, capture_output=True, cwd=self.folder)
        if run.returncode != 0:
            raise AssertionError(f"nn failed on {case.name}:\n{program}\n{run.stdout}{run.stderr}")
        self.predicted = np.load(self.path("predicted.npy"))

    def path(self, name):
        return os.path.join(self.folder, name)

    def remove(self):
        shutil.rmtree(self.folder, ignore_errors=True)


class ONNXExportTests(unittest.TestCase):
    def test_every_activation_through_onnxruntime(self):
        for case in cases():
            exported = Exported(case, ['export model "m64.onnx"', 'export model "m32.onnx" dtype=float32'])
            try:
                for file, dtype, tolerance in [("m64.onnx", np.float64, 1e-12), ("m32.onnx", np.float32, 1e-5)]:
                    with self.subTest(case=case.name, file=file):
                        model = onnx.load(exported.path(file))
                        onnx.checker.check_model(model, full_check=True)
                        self.assertGreaterEqual(model.opset_import[0].version, 13)
                        session = onnxruntime.InferenceSession(exported.path(file), providers=["CPUExecutionProvider"])
                        self.assertEqual([i.name for i in session.get_inputs()], ["input"])
                        self.assertEqual([o.name for o in session.get_outputs()], ["output"])
                        (output,) = session.run(None, {"input": case.inputs.astype(dtype)})
                        self.assertEqual(output.dtype, dtype)
                        np.testing.assert_allclose(output, exported.predicted, rtol=tolerance, atol=tolerance)
            finally:
                exported.remove()

    def test_class_names_are_metadata(self):
        exported = Exported(cases()[0], ['export model "m.onnx"'])
        try:
            metadata = {entry.key: entry.value for entry in onnx.load(exported.path("m.onnx")).metadata_props}
            self.assertEqual(metadata["class_names"], '["setosa","versicolor","virginica"]')
            self.assertEqual(metadata["normalization"], "standard")
        finally:
            exported.remove()


class ParamsExportTests(unittest.TestCase):
    def test_load_state_dict_takes_the_archive(self):
        case = Case("tanh then softmax", "set seed 4\ninput 4\nlayer 5 tanh\nlayer 6 relu\nlayer 3 softmax")
        exported = Exported(case, ['export params "m.npz"'])
        try:
            model = torch.nn.Sequential(torch.nn.Linear(4, 5), torch.nn.Tanh(), torch.nn.Linear(5, 6), torch.nn.ReLU(),
                                        torch.nn.Linear(6, 3), torch.nn.Softmax(dim=1)).double()
            with np.load(exported.path("m.npz")) as archive:
                self.assertEqual(list(archive.keys()), list(model.state_dict().keys()))
                model.load_state_dict({name: torch.from_numpy(archive[name]) for name in archive.keys()}, strict=True)
            with torch.no_grad():
                output = model(torch.from_numpy(case.inputs)).numpy()
            np.testing.assert_allclose(output, exported.predicted, rtol=1e-12, atol=1e-12)
        finally:
            exported.remove()


    def test_batchnorm_state_dict_loads_into_batchnorm1d(self):
        case = Case("batch normalization", "\n".join([
            "set seed 5", "data iris", "input 4", "layer 5 tanh batchnorm=true", "layer 3 softmax",
            "loss cross_entropy", "train epochs=2 batch=25 lr=0.1 quiet=true"]))
        exported = Exported(case, ['export params "m.npz"'])
        try:
            model = torch.nn.Sequential(torch.nn.Linear(4, 5), torch.nn.BatchNorm1d(5, eps=1e-5, momentum=0.1),
                                        torch.nn.Tanh(), torch.nn.Linear(5, 3), torch.nn.Softmax(dim=1)).double()
            with np.load(exported.path("m.npz")) as archive:
                self.assertEqual(list(archive.keys()), list(model.state_dict().keys()))
                model.load_state_dict({name: torch.from_numpy(archive[name]) for name in archive.keys()}, strict=True)
            self.assertEqual(model[1].num_batches_tracked.item(), 12)  # 2 epochs of 6 batches of 150 samples
            model.eval()
            with torch.no_grad():
                output = model(torch.from_numpy(case.inputs)).numpy()
            np.testing.assert_allclose(output, exported.predicted, rtol=1e-12, atol=1e-12)
        finally:
            exported.remove()


def torch_export(model, path, example):
    """`torch.onnx.export` as a user calls it: opset 13, the TorchScript exporter (which writes Gemm)."""
    options = {"dynamo": False} if "dynamo" in inspect.signature(torch.onnx.export).parameters else {}
    model.eval()
    torch.onnx.export(model, (example,), path, opset_version=13, input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}}, **options)


def nn_load_and_predict(folder, file, inputs):
    """nn run with -e: load `file`, then its predictions for `inputs` (or the failed run)."""
    program = "\n".join([f'load "{file}"', "set precision 17", f"XR = {matrix_text(inputs)}", 'export predict(XR) "p.npy"'])
    run = subprocess.run([NN, "-e", program], text=True, capture_output=True, cwd=folder)
    return run, (np.load(os.path.join(folder, "p.npy")) if run.returncode == 0 else None)


class ONNXImportTests(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.mkdtemp(prefix="nn-interop-import-")
        torch.manual_seed(0)

    def tearDown(self):
        shutil.rmtree(self.folder, ignore_errors=True)

    def test_torch_exports_load_and_predict_what_torch_predicts(self):
        nn = torch.nn
        models = {
            "relu softmax": nn.Sequential(nn.Linear(4, 6), nn.ReLU(), nn.Linear(6, 3), nn.Softmax(dim=1)),
            "flatten tanh sigmoid": nn.Sequential(nn.Flatten(), nn.Linear(4, 5), nn.Tanh(), nn.Linear(5, 5), nn.Sigmoid(),
                                                  nn.Linear(5, 2), nn.Sigmoid()),
            "leaky elu softplus identity": nn.Sequential(nn.Linear(4, 5), nn.LeakyReLU(0.2), nn.Linear(5, 5), nn.ELU(0.7),
                                                         nn.Linear(5, 4), nn.Softplus(), nn.Linear(4, 2), nn.Identity()),
            "batchnorm relu": nn.Sequential(nn.Linear(4, 5), nn.BatchNorm1d(5), nn.ReLU(), nn.Linear(5, 2)),
        }
        # Running statistics other than their start (0 and 1), from a few training-mode batches.
        models["batchnorm relu"].train()
        with torch.no_grad():
            for seed in range(3):
                models["batchnorm relu"](torch.from_numpy(raw_inputs(rows=8, seed=seed)).float())
        inputs = raw_inputs(seed=3) / 3
        for name, model in models.items():
            for dtype, tolerance in [(torch.float32, 1e-6), (torch.float64, 1e-12)]:
                with self.subTest(model=name, dtype=dtype):
                    model = model.to(dtype)
                    given = torch.from_numpy(inputs).to(dtype)
                    file = f"{name.replace(' ', '_')}_{str(dtype)[6:]}.onnx"
                    torch_export(model, os.path.join(self.folder, file), given[:1])
                    with torch.no_grad():
                        expected = model(given).double().numpy()
                    run, predicted = nn_load_and_predict(self.folder, file, given.double().numpy())
                    self.assertEqual(run.returncode, 0, run.stderr)
                    np.testing.assert_allclose(predicted, expected, rtol=tolerance, atol=tolerance)

    def test_nn_export_loads_back(self):
        for case in [cases()[4], cases()[-1]]:  # the last has batch normalization
            exported = Exported(case, ['export model "m64.onnx"', 'export model "m32.onnx" dtype=float32'])
            try:
                with self.subTest(case=case.name):
                    run, predicted = nn_load_and_predict(exported.folder, "m64.onnx", case.inputs)
                    self.assertEqual(run.returncode, 0, run.stderr)
                    np.testing.assert_allclose(predicted, exported.predicted, rtol=1e-14, atol=1e-14)
                    run, predicted = nn_load_and_predict(exported.folder, "m32.onnx", case.inputs)
                    self.assertEqual(run.returncode, 0, run.stderr)
                    np.testing.assert_allclose(predicted, exported.predicted, rtol=1e-5, atol=1e-5)
            finally:
                exported.remove()

    def test_unsupported_models_are_named(self):
        nn = torch.nn
        for name, model, example, operator in [
            ("conv", nn.Sequential(nn.Conv2d(1, 2, 3), nn.Flatten(), nn.Linear(8, 3)), torch.zeros(1, 1, 4, 4), "Conv"),
            ("layernorm", nn.Sequential(nn.Linear(4, 5), nn.LayerNorm(5), nn.ReLU(), nn.Linear(5, 2)), torch.zeros(2, 4),
             "ReduceMean"),  # opset 13 writes LayerNorm out in operators
        ]:
            with self.subTest(model=name):
                torch_export(model, os.path.join(self.folder, name + ".onnx"), example)
                run, _ = nn_load_and_predict(self.folder, name + ".onnx", raw_inputs(rows=2))
                self.assertEqual(run.returncode, 1, run.stderr)
                self.assertRegex(run.stderr, f"in '{name}.onnx': node '[^']+' is an? {operator}; nn reads dense networks")


def load_script(path):
    """An exported PyTorch script as a module, so its functions can be called."""
    spec = importlib.util.spec_from_file_location("exported_" + os.path.basename(os.path.dirname(path)).replace("-", "_"), path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def training_case(setup):
    """A regression or class network on 24 raw rows, exported before one epoch of nn's training."""
    inputs = raw_inputs(seed=5)
    generator = np.random.default_rng(6)
    return inputs, "\n".join([f"data x={matrix_text(inputs)} y={{}}", "normalize standard", setup]), generator


class PyTorchScriptTests(unittest.TestCase):
    def test_script_predicts_what_nn_predicts(self):
        for index, case in enumerate(cases()):
            dtype = "float32" if index % 4 == 3 else "float64"
            exported = Exported(case, [f'export model "m.py" dtype={dtype}'])
            try:
                with self.subTest(case=case.name, dtype=dtype):
                    script = load_script(exported.path("m.py"))
                    model = script.make_model()
                    model.load_state_dict(script.parameters())
                    tolerance = 1e-5 if dtype == "float32" else 1e-12
                    np.testing.assert_allclose(script.predict(model, case.inputs).numpy(), exported.predicted,
                                               rtol=tolerance, atol=tolerance)
            finally:
                exported.remove()

    def test_run_without_arguments_prints_the_first_rows_predictions(self):
        case = Case("iris", "set seed 2\ndata iris\nnormalize minmax\ninput 4\nlayer 5 softplus\nlayer 3 softmax")
        case.inputs = np.array([[5.1, 3.5, 1.4, 0.2], [4.9, 3.0, 1.4, 0.2], [4.7, 3.2, 1.3, 0.2], [4.6, 3.1, 1.5, 0.2], [5.0, 3.6, 1.4, 0.2]])
        exported = Exported(case, ['export model "m.py"'])
        try:
            run = subprocess.run(["python3", exported.path("m.py")], capture_output=True, text=True, check=True)
            printed = np.array([[float(value) for value in line.split()] for line in run.stdout.splitlines()])
            np.testing.assert_allclose(printed, exported.predicted, rtol=1e-12, atol=1e-12)
        finally:
            exported.remove()

    def first_epoch(self, targets, setup):
        """nn's first epoch's loss and the script's, from the same weights, rows in order."""
        case = Case("first epoch", "")
        case.inputs, program, _ = training_case(setup)
        case.program = program.format(matrix_text(targets))
        exported = Exported(case, ['export model "m.py"', "train epochs=1 batch=5 lr=0.3 quiet=true", 'export history "h.csv"'])
        try:
            with open(exported.path("h.csv"), newline="") as file:
                nn_loss = float(next(csv.DictReader(file))["loss"])
            script = load_script(exported.path("m.py"))
            model = script.make_model()
            model.load_state_dict(script.parameters())
            (torch_loss,) = script.train(model, case.inputs, targets, epochs=1, lr=0.3, batch=5, shuffle=False,
                                         device=torch.device("cpu"))
            return nn_loss, torch_loss
        finally:
            exported.remove()

    def test_first_epoch_loss_equals_nns(self):
        generator = np.random.default_rng(7)
        regression = generator.normal(size=(24, 2))
        classes = np.eye(3)[generator.integers(0, 3, size=24)]
        for targets, setup in [
            (regression, "input 4\nlayer 6 tanh\nlayer 2 linear\nloss mse"),
            (classes, "input 4\nlayer 6 relu\nlayer 3 softmax\nloss cross_entropy\noptimizer adam"),
            (classes, "input 4\nlayer 5 sigmoid\nlayer 3 sigmoid\nloss binary_cross_entropy\noptimizer momentum"),
            (classes, "input 4\nlayer 6 tanh batchnorm=true\nlayer 3 softmax batchnorm=true\nloss cross_entropy\noptimizer adam"),
        ]:
            with self.subTest(setup=setup):
                nn_loss, torch_loss = self.first_epoch(targets, setup)
                self.assertAlmostEqual(nn_loss, torch_loss, delta=1e-9)

    def test_the_last_trains_schedule_and_batch_carry_over(self):
        """The script takes the last train's batch and schedule: its epochs' losses, from the same
        weights, equal nn's under a step schedule that halves the rate every epoch."""
        case = Case("schedule", "")
        case.inputs, program, _ = training_case("input 4\nlayer 5 tanh\nlayer 1 linear\nloss mse")
        targets = case.inputs[:, :1] - 0.5 * case.inputs[:, 2:3]
        case.program = program.format(matrix_text(targets))
        run = "batch=5 lr=0.3 schedule=step every=1 gamma=0.5 quiet=true"
        exported = Exported(case, ["train epochs=0 " + run, 'export model "m.py"', "train epochs=3 " + run,
                                   'export history "h.csv"'])
        try:
            with open(exported.path("h.csv"), newline="") as file:
                nn_losses = [float(row["loss"]) for row in csv.DictReader(file)]
            script = load_script(exported.path("m.py"))
            self.assertEqual((script.BATCH, script.SHUFFLE), (5, False))
            model = script.make_model()
            model.load_state_dict(script.parameters())
            torch_losses = script.train(model, case.inputs, targets, epochs=3, lr=0.3, batch=script.BATCH,
                                        shuffle=script.SHUFFLE, device=torch.device("cpu"))
            self.assertEqual(len(nn_losses), 3)
            for nn_loss, torch_loss in zip(nn_losses, torch_losses):
                self.assertAlmostEqual(nn_loss, torch_loss, delta=1e-9)
            self.assertNotAlmostEqual(nn_losses[1], nn_losses[2], delta=1e-6)
        finally:
            exported.remove()

    def test_the_toolbox_carries_over(self):
        """Rprop with a warmed-up cyclic schedule, clipping and a frozen layer, and L-BFGS with the
        strong-Wolfe line search under onecycle: the script's epochs' losses, from the same
        weights, equal nn's (make_optimizer, make_scheduler, CLIP and FROZEN)."""
        runs = [
            ("freeze 1", "epochs=6 batch=5 optimizer=rprop lr=0.01 schedule=cyclic min_lr=0.001 every=2 warmup=2 clip=0.5", 1e-9),
            ("", "epochs=4 optimizer=lbfgs lr=0.5 line_search=strong_wolfe schedule=onecycle", 1e-8),
        ]
        for setup, run, tolerance in runs:
            with self.subTest(run=run):
                case = Case("toolbox", "")
                case.inputs, program, _ = training_case("input 4\nlayer 5 tanh\nlayer 1 linear\nloss mse\n" + setup)
                targets = case.inputs[:, :1] - 0.5 * case.inputs[:, 2:3]
                case.program = program.format(matrix_text(targets))
                # The weights go back to where training started; the last train's settings stay.
                exported = Exported(case, ["snapshot start", f"train {run} quiet=true", 'export history "h.csv"',
                                           "restore start", 'export model "m.py"'])
                try:
                    with open(exported.path("h.csv"), newline="") as file:
                        nn_losses = [float(row["loss"]) for row in csv.DictReader(file)]
                    script = load_script(exported.path("m.py"))
                    self.assertEqual(script.FROZEN, [0] if setup else [])
                    model = script.make_model()
                    model.load_state_dict(script.parameters())
                    epochs = len(nn_losses)
                    torch_losses = script.train(model, case.inputs, targets, epochs=epochs, lr=script.LEARNING_RATE,
                                                batch=script.BATCH, shuffle=script.SHUFFLE, device=torch.device("cpu"))
                    self.assertGreater(epochs, 2)
                    for nn_loss, torch_loss in zip(nn_losses, torch_losses):
                        self.assertAlmostEqual(nn_loss, torch_loss, delta=tolerance)
                    self.assertNotAlmostEqual(nn_losses[0], nn_losses[-1], delta=1e-6)
                finally:
                    exported.remove()

    def test_torchrun_on_two_processes_lowers_the_loss(self):
        case = Case("torchrun", "")
        case.inputs, program, _ = training_case("input 4\nlayer 6 tanh\nlayer 1 linear\nloss mse")
        targets = case.inputs[:, :1] - 2 * case.inputs[:, 1:2]
        case.program = program.format(matrix_text(targets))
        exported = Exported(case, ['export model "m.py"'])
        try:
            np.savez(exported.path("d.npz"), x=case.inputs, y=targets)
            # Everything on loopback: a machine's host name need not resolve (containers, CI), and
            # then torchrun's rendezvous and gloo's choice of interface both fail.
            environment = dict(os.environ, OMP_NUM_THREADS="1", CUDA_VISIBLE_DEVICES="", GLOO_SOCKET_IFNAME="lo")
            run = subprocess.run([sys.executable, "-m", "torch.distributed.run", "--standalone", "--local-addr=127.0.0.1",
                                  "--nproc_per_node=2", exported.path("m.py"),
                                  "--train", exported.path("d.npz"), "--epochs", "5", "--batch", "4", "--lr", "0.05"],
                                 capture_output=True, text=True, cwd=exported.folder, env=environment, timeout=120,
                                 # A test runner may leave signals blocked; torchrun's agent
                                 # manages its workers with them, as at a shell.
                                 preexec_fn=lambda: signal.pthread_sigmask(signal.SIG_SETMASK, []))
            self.assertEqual(run.returncode, 0, run.stderr)
            losses = [float(line.split("loss ")[1]) for line in run.stdout.splitlines() if line.startswith("epoch ")]
            self.assertEqual(len(losses), 5, run.stdout)
            self.assertLess(losses[-1], losses[0])
        finally:
            exported.remove()


if __name__ == "__main__":
    unittest.main()
