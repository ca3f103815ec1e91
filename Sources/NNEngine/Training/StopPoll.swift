/// The question "should this long loop stop?" (Ctrl-C, as the caller knows it), asked cheaply:
/// the loop calls `shouldStop()` at every step, and the question itself is asked only every
/// `interval` steps. Once it says stop, it keeps saying so, and `isStopped` tells the caller
/// that what the loop returned is incomplete and must be thrown away.
///
/// A class, so that the loops deep inside a computation and the caller that started it share
/// one answer.
public final class StopPoll {
    private let ask: () -> Bool
    private let interval: Int
    private var countdown: Int
    /// Whether the question was answered "stop".
    public private(set) var isStopped = false

    /// Asks `ask` at the first call of `shouldStop()`, then every `interval` calls.
    public init(every interval: Int = 1 << 16, _ ask: @escaping () -> Bool) {
        self.ask = ask
        self.interval = max(1, interval)
        countdown = 1
    }

    /// A poll that never stops: the default of every loop that takes one.
    public static var never: StopPoll { StopPoll(every: Int.max) { false } }

    /// True once the loop should stop; asks the question every `interval` calls.
    @inline(__always)
    public func shouldStop() -> Bool {
        if isStopped { return true }
        countdown -= 1
        guard countdown <= 0 else { return false }
        countdown = interval
        isStopped = ask()
        return isStopped
    }
}
