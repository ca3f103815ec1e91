import Foundation
import Testing

/// The model exports checked by their real consumers: onnx.checker and onnxruntime for
/// `export model "m.onnx"`, PyTorch (one process and torchrun) for `export model "m.py"` and
/// `export params "m.npz"`. The cases are in `Interop/interop_test.py`; this runs them as part
/// of `swift test`.
@Suite struct InteropTests {
    @Test func exportsReadByONNXRuntimeNumPyAndPyTorch() throws {
        try NNBinary.runPythonSuite("Tests/nnTests/Interop/interop_test.py")
    }
}
