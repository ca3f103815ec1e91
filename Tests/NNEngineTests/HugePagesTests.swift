import Testing
@testable import NNEngine

/// Huge-page advice is only advice: buffers of every size and alignment read back what was
/// written after it, and a small or empty buffer is left alone.
@Suite("Huge pages")
struct HugePagesTests {
    @Test(arguments: [0, 1, 4095, (4 << 20) - 1, 4 << 20, (9 << 20) + 13])
    func adviceChangesNoContents(_ byteCount: Int) {
        // An odd offset into the allocation, so the 2 MiB-aligned part starts inside it.
        let storage = UnsafeMutableRawPointer.allocate(byteCount: byteCount + 24, alignment: 16)
        defer { storage.deallocate() }
        let start = storage + 8
        HugePages.advise(start, byteCount: byteCount)
        let bytes = start.bindMemory(to: UInt8.self, capacity: byteCount)
        for index in 0..<byteCount { bytes[index] = UInt8(truncatingIfNeeded: index &* 31 &+ 7) }
        var same = true
        for index in 0..<byteCount where bytes[index] != UInt8(truncatingIfNeeded: index &* 31 &+ 7) { same = false }
        #expect(same)
    }

    /// A large array filled after the advice, as the `.npy` reader fills one.
    @Test func aLargeArrayFilledAfterTheAdviceHoldsItsNumbers() {
        let count = 1 << 20  // 8 MiB of doubles
        let numbers = [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
            guard let base = buffer.baseAddress else { return }
            HugePages.advise(base, byteCount: count * MemoryLayout<Double>.size)
            for index in 0..<count { base[index] = Double(index) * 0.5 }
            initialized = count
        }
        #expect(numbers.count == count && numbers[0] == 0 && numbers[count - 1] == Double(count - 1) * 0.5)
        #expect(numbers.enumerated().allSatisfy { $0.element == Double($0.offset) * 0.5 })
    }
}
