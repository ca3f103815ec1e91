"""nn's exports checked by their real consumers: onnx.checker, onnxruntime, NumPy and PyTorch.

Run by InteropTests.swift (so `swift test` runs it) with NN_BINARY set to the binary under
test; needs onnx, onnxruntime and torch (CPU), which scripts/setup.sh installs. Each case
builds a network in nn, exports it, and compares what the consumer computes with nn's own
`predict` of the same raw inputs.
"""
import os
import shutil
import subprocess
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


if __name__ == "__main__":
    unittest.main()
