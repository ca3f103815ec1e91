/// Random orders for shuffling data, the same on every platform and Swift version.
extension SeededGenerator {
    /// A number in 0..<bound: the high word of the 128-bit product of `bound` and 64 random bits
    /// (Lemire's method without rejection; its bias, below bound/2⁶⁴, is far under anything a
    /// data set can show). Unlike `Int.random(in:using:)` it cannot change with the standard library.
    public mutating func nextIndex(below bound: Int) -> Int {
        precondition(bound > 0, "an index needs a positive bound")
        return Int(UInt64(bound).multipliedFullWidth(by: next()).high)
    }

    /// Puts `elements` in a uniformly random order by Fisher–Yates: for i from n − 1 down to 1,
    /// swap element i with element j, j uniform in 0...i.
    public mutating func shuffle<Element>(_ elements: inout [Element]) {
        for i in stride(from: elements.count - 1, to: 0, by: -1) {
            elements.swapAt(i, nextIndex(below: i + 1))
        }
    }

    /// A random permutation of 0..<count.
    public mutating func permutation(count: Int) -> [Int] {
        var order = Array(0..<max(count, 0))
        shuffle(&order)
        return order
    }
}
