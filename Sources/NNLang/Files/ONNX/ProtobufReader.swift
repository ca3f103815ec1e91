/// Reads the protocol-buffer fields of one message, bounded for hostile bytes: a varint is at
/// most 10 bytes, every length is checked against the bytes that remain, nesting is at most
/// `maximumDepth` messages deep, and a field of a wire type nn does not read is skipped by its
/// type. The mirror of `ProtobufWriter`.
///
/// A reader holds the whole file and the range of one message in it, so nested messages cost
/// no copies.
struct ProtobufReader {
    /// A field's value as it is on the wire; `bytes` is a range of the file.
    enum Value {
        case varint(UInt64)
        case fixed64(UInt64)
        case bytes(Range<Int>)
        case fixed32(UInt32)
    }

    struct Field {
        let number: Int
        let value: Value
    }

    /// Deeper than any ONNX message nn reads (model, graph, value info, type, tensor type, shape, dimension).
    static let maximumDepth = 12

    let file: [UInt8]
    private(set) var position: Int
    let end: Int
    let depth: Int

    init(_ file: [UInt8]) {
        self.init(file: file, range: 0..<file.count, depth: 0)
    }

    private init(file: [UInt8], range: Range<Int>, depth: Int) {
        self.file = file
        self.position = range.lowerBound
        self.end = range.upperBound
        self.depth = depth
    }

    var isAtEnd: Bool { position >= end }

    // MARK: - Fields

    /// The next field, or nil at the end of the message.
    mutating func next() throws(DataFileError) -> Field? {
        guard !isAtEnd else { return nil }
        let key = try varint()
        let number = key >> 3
        guard number >= 1, number <= 0x1FFF_FFFF else { throw .protobuf("field number \(number) out of range") }
        switch key & 7 {
        case 0: return Field(number: Int(number), value: .varint(try varint()))
        case 1:
            let range = try take(8)
            var value: UInt64 = 0
            for (shift, index) in range.enumerated() { value |= UInt64(file[index]) << (8 * UInt64(shift)) }
            return Field(number: Int(number), value: .fixed64(value))
        case 2:
            let length = try varint()
            guard length <= UInt64(end - position) else {
                throw .protobuf("field \(number) says \(length) bytes but the message has \(end - position) left")
            }
            return Field(number: Int(number), value: .bytes(try take(Int(length))))
        case 5:
            let range = try take(4)
            var value: UInt32 = 0
            for (shift, index) in range.enumerated() { value |= UInt32(file[index]) << (8 * UInt32(shift)) }
            return Field(number: Int(number), value: .fixed32(value))
        case let wireType:
            // 3 and 4 are proto2's groups, which ONNX does not use; 6 and 7 do not exist.
            throw .protobuf("field \(number) has wire type \(wireType), which nn does not read")
        }
    }

    /// A reader of the nested message in `range`, one level deeper.
    func message(_ range: Range<Int>) throws(DataFileError) -> ProtobufReader {
        guard depth < Self.maximumDepth else { throw .protobuf("messages nested more than \(Self.maximumDepth) deep") }
        return ProtobufReader(file: file, range: range, depth: depth + 1)
    }

    /// The bytes of `range` as text; invalid UTF-8 becomes U+FFFD.
    func string(_ range: Range<Int>) -> String {
        String(decoding: file[range], as: UTF8.self)
    }

    // MARK: - Packed repeated fields

    /// The varints of a packed repeated field, at most `limit` of them.
    func packedVarints(_ range: Range<Int>, limit: Int, what: String) throws(DataFileError) -> [UInt64] {
        var reader = ProtobufReader(file: file, range: range, depth: depth)
        var values: [UInt64] = []
        while !reader.isAtEnd {
            guard values.count < limit else { throw .onnxModel("more than \(limit) \(what)") }
            values.append(try reader.varint())
        }
        return values
    }

    // MARK: - Encoding

    /// Seven bits a byte, lowest first; at most 10 bytes, the most a 64-bit value needs.
    private mutating func varint() throws(DataFileError) -> UInt64 {
        var value: UInt64 = 0
        for index in 0..<10 {
            guard position < end else { throw .protobuf("a number is cut off by the end of the message") }
            let byte = file[position]
            position += 1
            if index == 9, byte > 1 { throw .protobuf("a number is longer than 64 bits") }
            value |= UInt64(byte & 0x7F) << (7 * UInt64(index))
            if byte < 0x80 { return value }
        }
        throw .protobuf("a number is longer than 10 bytes")
    }

    private mutating func take(_ count: Int) throws(DataFileError) -> Range<Int> {
        guard count <= end - position else { throw .protobuf("a field is cut off by the end of the message") }
        defer { position += count }
        return position..<(position + count)
    }
}
