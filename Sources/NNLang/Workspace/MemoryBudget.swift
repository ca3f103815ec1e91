#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one memory budget: every large allocation a statement can cause is checked against
/// `Settings.memoryLimit` before it is made, so running out of memory is a diagnostic saying
/// what needed how much, not a crash.
public enum MemoryBudget {
    /// Half the machine's physical memory (4 GiB when the system does not say): room for the
    /// copy a statement makes of what it changes.
    public static let defaultLimit: Int = {
        let pages = sysconf(Int32(_SC_PHYS_PAGES))
        let pageSize = sysconf(Int32(_SC_PAGESIZE))
        guard pages > 0, pageSize > 0 else { return 1 << 32 }
        let total = pages.multipliedReportingOverflow(by: pageSize)
        return total.overflow ? Int.max / 2 : total.partialValue / 2
    }()

    /// The smallest `set memory_limit` accepts: 1 MiB.
    public static let smallestLimit = 1 << 20

    /// The bytes of `count` float64 numbers, saturating instead of overflowing.
    public static func bytes(ofNumbers count: Int) -> Int {
        let product = count.multipliedReportingOverflow(by: MemoryLayout<Double>.size)
        return product.overflow ? Int.max : product.partialValue
    }

    /// The bytes of a `rows` × `columns` float64 matrix, saturating instead of overflowing.
    public static func bytes(rows: Int, columns: Int) -> Int {
        let count = rows.multipliedReportingOverflow(by: columns)
        return count.overflow ? Int.max : bytes(ofNumbers: count.partialValue)
    }

    /// "512 bytes", "3.2 MB", "4.3 GB": a size for a message, in powers of 1000 as `ls -h --si`.
    public static func describe(_ bytes: Int) -> String {
        let units = ["bytes", "kB", "MB", "GB", "TB", "PB", "EB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1000, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        if unit == 0 { return "\(bytes) bytes" }
        let rounded = (value * 10).rounded() / 10
        let text = rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
        return "\(text) \(units[unit])"
    }
}

extension Settings {
    /// The most numbers one matrix may hold under both limits: `max_elements`, and
    /// `memory_limit` in float64 numbers.
    var numberLimit: Int { min(maxElements, memoryLimit / MemoryLayout<Double>.size) }

    /// Refuses an allocation of `bytes` over `memoryLimit`, naming `what` needed it.
    func checkMemory(_ bytes: Int, for what: @autoclosure () -> String, at span: SourceSpan) throws(Diagnostic) {
        guard bytes > memoryLimit else { return }
        throw Diagnostic(.memoryLimit(what: what(), bytes: bytes, limit: memoryLimit), at: span)
    }

    /// Refuses a value of `count` numbers (nil: more than an Int holds) over `max_elements`,
    /// then over `memory_limit` as float64 numbers, naming `what` needed them.
    func checkNumbers(_ count: Int?, for what: @autoclosure () -> String, at span: SourceSpan) throws(Diagnostic) {
        guard let count, count <= maxElements else {
            throw Diagnostic(.tooManyElements(count: count ?? Int.max, limit: maxElements), at: span)
        }
        try checkMemory(MemoryBudget.bytes(ofNumbers: count), for: what(), at: span)
    }
}
