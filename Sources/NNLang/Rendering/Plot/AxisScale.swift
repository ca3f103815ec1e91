#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An axis from `lower` to `upper` with round tick values (steps of 1, 2 or 5 times a power of
/// ten), the ends widened to the ticks just outside the data.
struct AxisScale: Equatable, Sendable {
    var lower: Double
    var upper: Double
    var step: Double
    var ticks: [Double]

    /// A scale covering `range` with about `tickCount` ticks.
    init(covering range: ClosedRange<Double>, tickCount: Int = 5, widen: Bool = true) {
        var low = range.lowerBound
        var high = range.upperBound
        if !low.isFinite || !high.isFinite { (low, high) = (0, 1) }
        // Beyond this the width, the step or a widened end would overflow to infinity; what
        // lies further out is drawn at the edge.
        (low, high) = (min(max(low, -AxisScale.largestEnd), AxisScale.largestEnd), min(max(high, -AxisScale.largestEnd), AxisScale.largestEnd))
        if high - low < max(abs(low), abs(high)) * 1e-12 || high == low {
            // A flat curve: centre it in a band of ±1 (or ±10% of its size).
            let pad = low == 0 ? 1 : abs(low) * 0.1
            (low, high) = (low - pad, high + pad)
        }
        step = AxisScale.niceStep((high - low) / Double(max(1, tickCount - 1)))
        if widen {
            lower = (low / step).rounded(.down) * step
            upper = (high / step).rounded(.up) * step
        } else {
            lower = low
            upper = high
        }
        var ticks: [Double] = []
        var tick = (lower / step).rounded(.up) * step
        while tick <= upper + step * 1e-9, ticks.count < 50 {
            ticks.append(abs(tick) < step * 1e-9 ? 0 : tick)
            tick += step
        }
        self.ticks = ticks
    }

    /// The largest end an axis has: ±1e307 leaves room to widen to a round tick and to take
    /// the difference of the ends without overflowing.
    static let largestEnd = 1e307

    /// 1, 2 or 5 times a power of ten, the nearest at or above `rough`.
    static func niceStep(_ rough: Double) -> Double {
        guard rough.isFinite, rough > 0 else { return 1 }
        let power = pow(10, (log10(rough)).rounded(.down))
        let fraction = rough / power
        let nice: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        return nice * power
    }

    /// Where `value` falls, 0 at `lower` and 1 at `upper`.
    func fraction(_ value: Double) -> Double {
        (value - lower) / (upper - lower)
    }

    /// A tick's label: as many decimals as the step needs, no more ("0.25", "100", "1e-05").
    func label(_ value: Double) -> String {
        PlotNumber.format(value, decimals: max(0, Int((-log10(step)).rounded(.up))))
    }
}

/// Numbers as plots label them, without Foundation's formatting.
enum PlotNumber {
    /// `value` with exactly `decimals` decimal places, or in the session's style when it is
    /// too large or small for that to be readable.
    static func format(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
        if decimals > 6 || abs(value) >= 1e9 {
            return ValueFormatter(precision: 3).format(value)
        }
        let scale = pow(10, Double(decimals))
        let scaled = Int64((abs(value) * scale).rounded())
        if scaled == 0 { return "0" }
        var digits = String(scaled)
        if decimals > 0 {
            if digits.count <= decimals { digits = String(repeating: "0", count: decimals - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -decimals))
        }
        return (value < 0 ? "-" : "") + digits
    }

    /// A short label for a value on a colour scale or a cell: 3 significant digits.
    static func short(_ value: Double) -> String {
        ValueFormatter(precision: 3).format(value)
    }
}
