import Foundation
import Testing

/// The interactive prompt on a pseudo-terminal: typing, completion, history, multi-line input,
/// Ctrl-C and Ctrl-D, colour. The cases are in `Prompt/prompt_test.py` (pexpect drives a
/// terminal far better than anything in Foundation); this runs them as part of `swift test`.
@Suite struct PromptTests {
    @Test func promptOnAPseudoTerminal() throws {
        try NNBinary.runPythonSuite("Tests/nnTests/Prompt/prompt_test.py")
    }
}
