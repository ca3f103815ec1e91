import Foundation
import Testing

/// The model exports checked by their real consumers: onnx.checker and onnxruntime for
/// `export model "m.onnx"`, PyTorch (one process and torchrun) for `export model "m.py"` and
/// `export params "m.npz"`. The cases are in `Interop/interop_test.py`; this runs them as part
/// of `swift test`.
@Suite struct InteropTests {
    @Test func exportsReadByONNXRuntimeNumPyAndPyTorch() throws {
        let run = try NNBinary.run(
            ["python3", "Tests/nnTests/Interop/interop_test.py"],
            executable: URL(fileURLWithPath: "/usr/bin/env"),
            environment: ["NN_BINARY": NNBinary.executable.path])
        if let missing = run.standardError.firstMatch(of: /No module named '([a-z_]+)'/) {
            Issue.record("the interop tests need \(missing.1): run scripts/setup.sh")
            return
        }
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardError.contains("\nOK"))
    }
}
