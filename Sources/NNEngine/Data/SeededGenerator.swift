import Foundation

/// A reproducible random number generator: xoshiro256** seeded through SplitMix64.
///
/// The same seed gives the same sequence on every run and platform, so a script that
/// sets a seed trains to the same numbers everywhere. No global state: pass it `inout`.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    /// A generator whose four state words are the first four SplitMix64 outputs from `seed`.
    ///
    /// SplitMix64 spreads any seed, even 0, into a state that is not all zero, which
    /// xoshiro needs.
    public init(seed: UInt64) {
        var splitMix = seed
        func nextSplitMix() -> UInt64 {
            splitMix &+= 0x9E37_79B9_7F4A_7C15
            var z = splitMix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (nextSplitMix(), nextSplitMix(), nextSplitMix(), nextSplitMix())
    }

    /// The next 64 random bits (xoshiro256**).
    public mutating func next() -> UInt64 {
        let result = Self.rotateLeft(state.1 &* 5, by: 7) &* 9
        let shifted = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= shifted
        state.3 = Self.rotateLeft(state.3, by: 45)
        return result
    }

    private static func rotateLeft(_ x: UInt64, by k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }

    /// A uniform number in [0, 1) from the top 53 bits, so every value is an exact multiple of 2⁻⁵³.
    public mutating func nextDouble() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A uniform number in [lo, hi).
    public mutating func nextUniform(_ lo: Double, _ hi: Double) -> Double {
        lo + (hi - lo) * nextDouble()
    }

    /// A standard normal number by the Box–Muller transform.
    ///
    /// Uses two uniforms per call and keeps no spare, so the state depends only on how
    /// many numbers were drawn. Bit-exact across platforms only as far as `log`, `cos`
    /// and `sqrt` are.
    public mutating func nextNormal() -> Double {
        let u1 = 1 - nextDouble()  // in (0, 1], so log(u1) is finite
        let u2 = nextDouble()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}
