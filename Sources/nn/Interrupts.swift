#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
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

    /// SIGTERM and SIGHUP stop like Ctrl-C, but for good: the statement stops, then the
    /// program, with its output flushed (`stopSignal` says which came).
    static func installStops() {
        _ = nn_install_stop_handler()
    }

    static var pending: Bool { nn_interrupt_pending() != 0 }

    /// SIGTERM or SIGHUP, once either came.
    static var stopSignal: Int32? {
        let number = nn_stop_signal_number()
        return number == 0 ? nil : number
    }

    /// What stopped the program: 128 + the signal, as shells report it (130, 143, 129).
    static var stoppedStatus: Int32 { 128 + (stopSignal ?? SIGINT) }

    /// The line on standard error that says what stopped the program.
    static var stoppedMessage: String {
        switch stopSignal {
        case SIGTERM: return "nn: terminated\n"
        case SIGHUP: return "nn: hung up\n"
        default: return "nn: interrupted\n"
        }
    }

    static func clear() {
        nn_clear_interrupt()
    }
}
