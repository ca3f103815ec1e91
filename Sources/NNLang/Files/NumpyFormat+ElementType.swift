/// The dtypes of `.npy` elements nn reads, and how each becomes a float64.
extension NumpyFormat {
    /// A NumPy dtype string such as `<i8`, `>f4` or `|b1`: a byte order, a kind and a size.
    struct ElementType: Equatable {
        enum Kind: Equatable {
            case float, signed, unsigned, boolean
        }

        var kind: Kind
        /// Bytes per element.
        var size: Int
        var bigEndian: Bool

        /// The largest integer a float64 holds exactly, and every one below it: 2^53.
        static let exactIntegerLimit: UInt64 = 1 << 53

        /// The element type of `dtype`, or nil when nn cannot read it (complex, text, dates,
        /// objects, structured records).
        init?(_ dtype: String) {
            let characters = Array(dtype)
            guard characters.count >= 3, let size = Int(String(characters[2...])) else { return nil }
            switch characters[0] {
            case "<", "|", "=": bigEndian = false  // nn runs on little-endian machines only
            case ">": bigEndian = true
            default: return nil
            }
            switch (characters[1], size) {
            case ("f", 2), ("f", 4), ("f", 8): kind = .float
            case ("i", 1), ("i", 2), ("i", 4), ("i", 8): kind = .signed
            case ("u", 1), ("u", 2), ("u", 4), ("u", 8): kind = .unsigned
            case ("b", 1): kind = .boolean
            default: return nil
            }
            self.size = size
        }

        /// An integer past 2^53: its place among the elements in file order, and its digits.
        struct InexactInteger: Error, Equatable {
            var index: Int
            var text: String
        }

        /// The elements of `data` (a whole number of them), in file order, written to `output`
        /// from `start` on; or the first integer past 2^53, with its index counted from the
        /// start of the file's elements.
        func decode(_ data: UnsafeRawBufferPointer, into output: UnsafeMutableBufferPointer<Double>, at start: Int) -> InexactInteger? {
            let count = data.count / size
            let output = UnsafeMutableBufferPointer(rebasing: output[start..<(start + count)])
            switch (kind, size) {
            case (.float, 8) where !bigEndian:
                if let source = data.baseAddress, let target = output.baseAddress, count > 0 {
                    UnsafeMutableRawPointer(target).copyMemory(from: source, byteCount: 8 * count)
                }
            case (.float, 8): for i in 0..<count { output[i] = Double(bitPattern: load(data, i, UInt64.self)) }
            case (.float, 4): for i in 0..<count { output[i] = Double(Float(bitPattern: load(data, i, UInt32.self))) }
            case (.float, _): for i in 0..<count { output[i] = Self.half(load(data, i, UInt16.self)) }
            case (.boolean, _): for i in 0..<count { output[i] = data[i] == 0 ? 0 : 1 }
            case (.signed, 1): for i in 0..<count { output[i] = Double(Int8(bitPattern: data[i])) }
            case (.signed, 2): for i in 0..<count { output[i] = Double(Int16(bitPattern: load(data, i, UInt16.self))) }
            case (.signed, 4): for i in 0..<count { output[i] = Double(Int32(bitPattern: load(data, i, UInt32.self))) }
            case (.signed, _):
                for i in 0..<count {
                    let value = Int64(bitPattern: load(data, i, UInt64.self))
                    guard value.magnitude <= Self.exactIntegerLimit else { return InexactInteger(index: start + i, text: String(value)) }
                    output[i] = Double(value)
                }
            case (.unsigned, 1): for i in 0..<count { output[i] = Double(data[i]) }
            case (.unsigned, 2): for i in 0..<count { output[i] = Double(load(data, i, UInt16.self)) }
            case (.unsigned, 4): for i in 0..<count { output[i] = Double(load(data, i, UInt32.self)) }
            case (.unsigned, _):
                for i in 0..<count {
                    let value = load(data, i, UInt64.self)
                    guard value <= Self.exactIntegerLimit else { return InexactInteger(index: start + i, text: String(value)) }
                    output[i] = Double(value)
                }
            }
            return nil
        }

        /// The `index`th element's bits in the machine's order.
        private func load<T: FixedWidthInteger>(_ data: UnsafeRawBufferPointer, _ index: Int, _ type: T.Type) -> T {
            let bits = data.loadUnaligned(fromByteOffset: MemoryLayout<T>.size * index, as: T.self)
            return bigEndian ? T(bigEndian: bits) : T(littleEndian: bits)
        }

        /// An IEEE 754 half-precision number, widened exactly (Float16 is missing on some platforms).
        static func half(_ bits: UInt16) -> Double {
            let sign: Double = bits & 0x8000 == 0 ? 1 : -1
            let exponent = Int((bits >> 10) & 0x1F)
            let fraction = Double(bits & 0x3FF)
            switch exponent {
            case 0: return sign * fraction * 0x1p-24  // zero and subnormals
            case 0x1F: return fraction == 0 ? sign * .infinity : .nan
            default: return sign * (1 + fraction / 1024) * Double(sign: .plus, exponent: exponent - 15, significand: 1)
            }
        }
    }
}
