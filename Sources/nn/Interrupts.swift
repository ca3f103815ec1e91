import CEditLine

/// Ctrl-C as a flag: set by a SIGINT handler, read by the prompt and by long statements.
///
/// The flag lives in the C shim (`nn_interrupted`, one weak global for the whole program).
/// Its functions are wrapped here so the rest of the executable reads one small API.
enum Interrupts {
    /// Installs the handler. From then on Ctrl-C no longer ends nn: it stops the statement
    /// running, or clears the line being typed.
    static func install() {
        _ = nn_install_interrupt_handler()
    }

    static var pending: Bool { nn_interrupt_pending() != 0 }

    static func clear() {
        nn_clear_interrupt()
    }
}
