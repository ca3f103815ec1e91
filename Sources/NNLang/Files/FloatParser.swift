/// Reads a decimal number from UTF-8 bytes without making a `String`, giving exactly the
/// `Double` that Swift's `Double(String)` gives for the same text (nil where it gives nil).
///
/// The common spelling, `[+-] digits [. digits] [(e|E) [+-] digits]` (either side of the point
/// may be empty, not both), is read here; anything else (`inf`, `nan`, hexadecimal, spaces,
/// other bytes) and the rare cases below go to `Double(String)` itself, so what is accepted
/// never differs. The value is correctly rounded:
/// - up to 19 significant digits, a mantissa up to 2^53 and a power of ten up to 22 is one
///   exact multiplication or division (Clinger's fast path);
/// - otherwise the Eisel-Lemire algorithm (Lemire, "Number parsing at a gigabyte per second",
///   2021, as in fast_float): the mantissa times a 128-bit approximation of 5^q, which decides
///   the rounding or says it cannot, and then `Double(String)` decides;
/// - past 19 digits, the first 19 are read, and the number is the one both of `m` and `m + 1`
///   give (else `Double(String)` decides); subnormal results are left to `Double(String)`.
enum FloatParser {
    /// The number spelled by all of `bytes`, as `Double(String(decoding: bytes, as: UTF8.self))`.
    @inline(__always)
    static func double(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        if let value = decimal(bytes) { return value }
        return Double(String(decoding: bytes, as: UTF8.self))
    }

    /// The number in `bytes` when they are a plain decimal this parser rounds by itself; nil
    /// when `Double(String)` is to decide (the text may still be a number).
    ///
    /// The usual number of a data file, at most 19 digits in all, is read here in one pass,
    /// eight digits of a fraction at a time; a longer one by `longDecimal`.
    static func decimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        guard let start = bytes.baseAddress else { return nil }
        let leading = leadingDecimal(start, bytes.count)
        if leading.isLong { return longDecimal(bytes) }
        return leading.length == bytes.count ? leading.value : nil
    }

    /// The plain decimal at the start of the `count` bytes from `start`, up to the first byte
    /// that cannot continue it: its value (nil when `Double(String)` is to decide, or when
    /// what is there is no number), how many bytes it takes, and whether it has more than 19
    /// digits (for `longDecimal`). `decimal` is this number when it takes all the bytes.
    @inline(__always)
    static func leadingDecimal(_ start: UnsafePointer<UInt8>, _ count: Int) -> (value: Double?, length: Int, isLong: Bool) {
        guard count > 0 else { return (nil, 0, false) }
        var index = 0
        let negative = start[0] == UInt8(ascii: "-")
        if negative || start[0] == UInt8(ascii: "+") { index = 1 }
        var mantissa: UInt64 = 0
        let integerStart = index
        while index < count, case let digit = start[index] &- UInt8(ascii: "0"), digit < 10 {
            mantissa = mantissa &* 10 &+ UInt64(digit)
            index += 1
        }
        var digits = index - integerStart
        var exponent = 0
        if index < count && start[index] == UInt8(ascii: ".") {
            index += 1
            let fractionStart = index
            while index + 8 <= count {
                let eight = UInt64(littleEndian: UnsafeRawPointer(start + index).loadUnaligned(as: UInt64.self))
                guard isEightDigits(eight) else { break }
                mantissa = mantissa &* 100_000_000 &+ eightDigits(eight)
                index += 8
            }
            while index < count, case let digit = start[index] &- UInt8(ascii: "0"), digit < 10 {
                mantissa = mantissa &* 10 &+ UInt64(digit)
                index += 1
            }
            exponent = fractionStart - index
            digits += index - fractionStart
        }
        // More than 19 digits may not fit: read them with care (leading zeros, truncation).
        guard digits > 0, digits <= 19 else { return (nil, index, digits > 0) }
        if index < count && (start[index] | 0x20) == UInt8(ascii: "e") {
            index += 1
            var exponentNegative = false
            if index < count && (start[index] == UInt8(ascii: "-") || start[index] == UInt8(ascii: "+")) {
                exponentNegative = start[index] == UInt8(ascii: "-")
                index += 1
            }
            let exponentStart = index
            var written = 0
            while index < count, case let digit = start[index] &- UInt8(ascii: "0"), digit < 10 {
                written = written * 10 + Int(digit)
                guard written < 100_000 else { return (nil, index, false) }  // far out of range: let Double(String) say
                index += 1
            }
            guard index > exponentStart else { return (nil, index, false) }
            exponent += exponentNegative ? -written : written
        }
        return (rounded(mantissa: mantissa, exponent: exponent, truncated: false, negative: negative), index, false)
    }

    /// Whether the eight bytes of `word` are all ASCII digits.
    @inline(__always)
    private static func isEightDigits(_ word: UInt64) -> Bool {
        ((word &+ 0x4646_4646_4646_4646) | (word &- 0x3030_3030_3030_3030)) & 0x8080_8080_8080_8080 == 0
    }

    /// The number the eight ASCII digits of `word` spell, first byte most significant.
    @inline(__always)
    private static func eightDigits(_ word: UInt64) -> UInt64 {
        let mask: UInt64 = 0x0000_00FF_0000_00FF
        let hundreds: UInt64 = 100 + (1_000_000 << 32), ones: UInt64 = 1 + (10_000 << 32)
        var value: UInt64 = word &- 0x3030_3030_3030_3030
        value = (value &* 10) &+ (value >> 8)                  // pairs of digits
        let low: UInt64 = (value & mask) &* hundreds
        let high: UInt64 = ((value >> 16) & mask) &* ones
        return ((low &+ high) >> 32) & 0xFFFF_FFFF
    }

    /// `decimal` for text of more than 19 digits: leading zeros skipped, the first 19
    /// significant digits kept, and whether any digit after them was not 0.
    private static func longDecimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        let count = bytes.count
        guard count > 0, let start = bytes.baseAddress else { return nil }
        var index = 0
        var negative = false
        if start[0] == UInt8(ascii: "-") || start[0] == UInt8(ascii: "+") {
            negative = start[0] == UInt8(ascii: "-")
            index = 1
        }
        var mantissa: UInt64 = 0
        var digits = 0          // significant digits in `mantissa`, at most 19
        var truncated = false   // a non-zero digit past the 19th was dropped
        var exponent = 0        // the power of ten `mantissa` is multiplied by
        var sawDigit = false
        // integer part
        while index < count {
            let digit = start[index] &- UInt8(ascii: "0")
            guard digit < 10 else { break }
            sawDigit = true
            if digits < 19 {
                if digits > 0 || digit != 0 {
                    mantissa = mantissa &* 10 &+ UInt64(digit)
                    digits += 1
                }
            } else {
                exponent += 1
                truncated = truncated || digit != 0
            }
            index += 1
        }
        // fraction
        if index < count && start[index] == UInt8(ascii: ".") {
            index += 1
            while index < count {
                let digit = start[index] &- UInt8(ascii: "0")
                guard digit < 10 else { break }
                sawDigit = true
                if digits < 19 {
                    if digits > 0 || digit != 0 {
                        mantissa = mantissa &* 10 &+ UInt64(digit)
                        digits += 1
                    }
                    exponent -= 1
                } else {
                    truncated = truncated || digit != 0
                }
                index += 1
            }
        }
        guard sawDigit else { return nil }
        // exponent
        if index < count && (start[index] | 0x20) == UInt8(ascii: "e") {
            index += 1
            var exponentNegative = false
            if index < count && (start[index] == UInt8(ascii: "-") || start[index] == UInt8(ascii: "+")) {
                exponentNegative = start[index] == UInt8(ascii: "-")
                index += 1
            }
            var written = 0
            var sawExponentDigit = false
            while index < count {
                let digit = start[index] &- UInt8(ascii: "0")
                guard digit < 10 else { break }
                sawExponentDigit = true
                written = written * 10 + Int(digit)
                guard written < 100_000 else { return nil }  // far out of range: let Double(String) say
                index += 1
            }
            guard sawExponentDigit else { return nil }
            exponent += exponentNegative ? -written : written
        }
        guard index == count else { return nil }
        return rounded(mantissa: mantissa, exponent: exponent, truncated: truncated, negative: negative)
    }

    /// The double nearest `mantissa` × 10^`exponent` (or nil for the slow path to decide);
    /// `truncated`: the true mantissa is a little above `mantissa`, below `mantissa + 1`.
    @inline(__always)
    private static func rounded(mantissa: UInt64, exponent: Int, truncated: Bool, negative: Bool) -> Double? {
        guard mantissa != 0 else { return negative ? -0.0 : 0.0 }
        if !truncated && mantissa <= 1 << 53 && exponent >= -22 && exponent <= 22 {
            let value = Double(mantissa)
            let result = exponent < 0 ? value / exactPowersOfTen[-exponent] : value * exactPowersOfTen[exponent]
            return negative ? -result : result
        }
        guard let bits = eiselLemire(power: exponent, mantissa: mantissa) else { return nil }
        if truncated {
            guard let upper = eiselLemire(power: exponent, mantissa: mantissa + 1), upper == bits else { return nil }
        }
        return Double(bitPattern: bits | (negative ? 1 << 63 : 0))
    }

    /// 10^0 … 10^22, each exactly a `Double`.
    private static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    private static let smallestPower = -342, largestPower = 308
    private static let infinityBits: UInt64 = 0x7FF << 52

    /// The bits of the `Double` nearest `mantissa` × 10^`power` (`mantissa` not 0), or nil when
    /// the 128-bit product cannot decide the rounding or the result is subnormal.
    private static func eiselLemire(power q: Int, mantissa w: UInt64) -> UInt64? {
        if q < smallestPower { return 0 }          // below 10^-324: rounds to 0
        if q > largestPower { return infinityBits }  // at least 10^309
        let leadingZeros = w.leadingZeroBitCount
        let normalized = w << UInt64(leadingZeros)
        let index = 2 * (q - smallestPower)
        var (high, low) = normalized.multipliedFullWidth(by: powersOfFive[index])
        let precisionMask: UInt64 = .max >> 55    // 52 mantissa bits + 3
        if high & precisionMask == precisionMask {
            let second = normalized.multipliedFullWidth(by: powersOfFive[index + 1]).high
            let (sum, carried) = low.addingReportingOverflow(second)
            low = sum
            if carried { high &+= 1 }
        }
        // The product may be a hair short of the true value: outside the exponents where 5^q
        // is exact in 128 bits, let the slow path decide.
        if low == .max && !(q >= -27 && q <= 55) { return nil }
        let upperBit = Int(high >> 63)
        let shift = UInt64(upperBit + 64 - 52 - 3)
        var mantissa = high >> shift
        var power2 = ((217_706 * q) >> 16) + 63 + upperBit - leadingZeros + 1023
        guard power2 > 0 else { return nil }  // subnormal
        // Exactly halfway between two doubles: round to even rather than up.
        if low <= 1 && q >= -4 && q <= 23 && mantissa & 3 == 1 && mantissa << shift == high {
            mantissa &= ~1
        }
        mantissa += mantissa & 1
        mantissa >>= 1
        if mantissa >= 2 << 52 {
            mantissa = 1 << 52
            power2 += 1
        }
        mantissa &= ~(1 << 52)
        if power2 >= 0x7FF { return infinityBits }
        return UInt64(power2) << 52 | mantissa
    }
}
