import Foundation
import Testing
import NNEngine

@Suite("Seeded generator")
struct SeededGeneratorTests {
    /// First outputs for seed 42 from an independent Python implementation of SplitMix64 seeding
    /// and xoshiro256** (Blackman & Vigna's reference algorithms).
    @Test func referenceBitsForSeed42() {
        var generator = SeededGenerator(seed: 42)
        let bits = (0..<4).map { _ in generator.next() }
        #expect(bits == [0x1578_0B2E_0C2E_C716, 0x6104_D986_6D11_3A7E, 0xAE17_5332_39E4_99A1, 0xECB8_AD47_03B3_60A1])
    }

    @Test func referenceBitsForSeedZero() {
        var generator = SeededGenerator(seed: 0)
        #expect(generator.next() == 0x99EC_5F36_CB75_F2B4)
        #expect(generator.next() == 0xBF6E_1F78_4956_452A)
    }

    @Test func referenceDoublesForSeed42() {
        var generator = SeededGenerator(seed: 42)
        let doubles = (0..<4).map { _ in generator.nextDouble() }
        #expect(doubles == [0.08386297105988216, 0.3789802506626686, 0.6800434110281394, 0.9246929453253876])
    }

    @Test func sameSeedSameSequenceOtherSeedOtherSequence() {
        var a = SeededGenerator(seed: 7)
        var b = SeededGenerator(seed: 7)
        var c = SeededGenerator(seed: 8)
        let first = (0..<100).map { _ in a.next() }
        #expect(first == (0..<100).map { _ in b.next() })
        #expect(first != (0..<100).map { _ in c.next() })
    }

    @Test func uniformNumbersStayInRange() {
        var generator = SeededGenerator(seed: 3)
        var low = Double.infinity
        var high = -Double.infinity
        for _ in 0..<10_000 {
            let unit = generator.nextDouble()
            #expect(unit >= 0 && unit < 1)
            let value = generator.nextUniform(-2, 5)
            low = min(low, value)
            high = max(high, value)
        }
        #expect(low >= -2 && high < 5)
        // 10,000 draws reach close to both ends.
        #expect(low < -1.99 && high > 4.99)
    }

    @Test func normalNumbersHaveUnitMoments() {
        var generator = SeededGenerator(seed: 5)
        let samples = (0..<20_000).map { _ in generator.nextNormal() }
        #expect(samples.allSatisfy { $0.isFinite })
        let mean = samples.reduce(0, +) / Double(samples.count)
        let variance = samples.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(samples.count)
        #expect(abs(mean) < 0.03)
        #expect(abs(variance - 1) < 0.05)
    }

    @Test func normalUsesBoxMullerOnTwoUniforms() {
        var generator = SeededGenerator(seed: 42)
        let normal = generator.nextNormal()
        // u1 = 1 − first double, u2 = second double (see referenceDoublesForSeed42).
        let expected = (-2 * log(1 - 0.08386297105988216)).squareRoot() * cos(2 * Double.pi * 0.3789802506626686)
        #expect(normal == expected)
        #expect(generator.nextDouble() == 0.6800434110281394)
    }

    @Test func worksWithStandardLibraryRandomAPIs() {
        var a = SeededGenerator(seed: 9)
        var b = SeededGenerator(seed: 9)
        #expect(Int.random(in: 0..<1000, using: &a) == Int.random(in: 0..<1000, using: &b))
    }
}
