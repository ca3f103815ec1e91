/// The few protocol-buffer encodings an ONNX file needs, written by hand: a field is a key
/// (field number and wire type) and a value, either a varint, 4 little-endian bytes, or a
/// length and that many bytes (strings, bytes, nested messages).
///
/// Fields are appended in the order they are written; protobuf readers accept any order.
struct ProtobufWriter {
    private(set) var bytes: [UInt8] = []

    enum WireType: UInt64 {
        case varint = 0
        case fixed64 = 1
        case lengthDelimited = 2
        case fixed32 = 5
    }

    // MARK: - Fields

    /// An int64, uint64, bool or enum field.
    mutating func varint(_ field: Int, _ value: Int) {
        key(field, .varint)
        appendVarint(UInt64(bitPattern: Int64(value)))
    }

    /// A `float` field: 4 little-endian bytes.
    mutating func float(_ field: Int, _ value: Float) {
        key(field, .fixed32)
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func string(_ field: Int, _ value: String) {
        self.bytes(field, Array(value.utf8))
    }

    mutating func bytes(_ field: Int, _ value: [UInt8]) {
        key(field, .lengthDelimited)
        appendVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// A nested message, built by `build` on a writer of its own.
    mutating func message(_ field: Int, _ build: (inout ProtobufWriter) -> Void) {
        var nested = ProtobufWriter()
        build(&nested)
        bytes(field, nested.bytes)
    }

    // MARK: - Encoding

    private mutating func key(_ field: Int, _ wireType: WireType) {
        appendVarint(UInt64(field) << 3 | wireType.rawValue)
    }

    /// Seven bits a byte, lowest first, the high bit saying another byte follows.
    private mutating func appendVarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }
}
