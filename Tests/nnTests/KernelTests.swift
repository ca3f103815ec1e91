import Foundation
import Testing

/// The Jupyter kernel in `jupyter/`, driven by Jupyter's own clients: `jupyter/tests/test_kernel.py`
/// starts the installed kernel spec with jupyter_client (execute, an error cell then a working
/// one, SVG, progress updated in place, completion, inspection, interrupting a long `train`) and
/// runs the example notebook with nbclient. This runs it as part of `swift test`.
@Suite struct KernelTests {
    @Test func theKernelUnderJupyterClients() throws {
        try NNBinary.runPythonSuite("jupyter/tests/test_kernel.py")
    }
}
