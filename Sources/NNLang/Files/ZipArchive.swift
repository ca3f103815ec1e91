import CZlib

/// The members of a ZIP archive held in memory, as `np.savez` (stored) and
/// `np.savez_compressed` (deflated) write them.
///
/// Reads the end-of-central-directory record, the central directory and each member's local
/// header; a member is stored (method 0) or deflated (method 8, through zlib), and its CRC-32
/// is checked. ZIP64 (archives or members past 4 GiB, or more than 65,535 members),
/// encryption, multi-disk archives and other methods are refused with a message saying so.
/// Every offset and size is checked against the bytes before it is used, so a damaged or
/// hostile file is an error, never a crash, and a deflated member may claim at most what
/// deflate can expand to (1,032 times its compressed size).
public struct ZipArchive {
    /// One member as the central directory describes it.
    public struct Entry: Equatable, Sendable {
        public var name: String
        var method: Int
        var flags: Int
        var crc: UInt32
        var compressedSize: Int
        var uncompressedSize: Int
        var localHeaderOffset: Int
    }

    public let entries: [Entry]
    private let bytes: [UInt8]

    static let endSignature: UInt32 = 0x0605_4B50
    static let zip64LocatorSignature: UInt32 = 0x0706_4B50
    static let centralSignature: UInt32 = 0x0201_4B50
    static let localSignature: UInt32 = 0x0403_4B50
    /// The most deflate expands: 1,032 to 1, plus a little for tiny members.
    static let deflateExpansionLimit = 1032

    /// The archive in `bytes`, or why it cannot be read.
    public init(_ bytes: [UInt8]) throws(DataFileError) {
        self.bytes = bytes
        if bytes.isEmpty { throw .emptyFile }
        guard bytes.count >= 22, Self.uint32(bytes, 0) == Self.localSignature || Self.uint32(bytes, 0) == Self.endSignature else {
            throw .notZip
        }
        // The end record is the last 22 bytes, unless a comment (up to 65,535 bytes) follows it.
        var end = bytes.count - 22
        let lowest = max(0, bytes.count - 22 - 0xFFFF)
        while end >= lowest && !(Self.uint32(bytes, end) == Self.endSignature && end + 22 + Self.uint16(bytes, end + 20) == bytes.count) {
            end -= 1
        }
        guard end >= lowest else { throw .zipDamaged("no end of central directory record") }
        if end >= 20 && Self.uint32(bytes, end - 20) == Self.zip64LocatorSignature { throw .zip64 }
        let disk = Self.uint16(bytes, end + 4), directoryDisk = Self.uint16(bytes, end + 6)
        let count = Self.uint16(bytes, end + 10)
        let directorySize = Int(Self.uint32(bytes, end + 12)), directoryOffset = Int(Self.uint32(bytes, end + 16))
        if count == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF { throw .zip64 }
        guard disk == 0 && directoryDisk == 0 && Self.uint16(bytes, end + 8) == count else { throw .zipDamaged("a multi-disk archive") }
        guard directoryOffset <= end, directorySize <= end - directoryOffset else {
            throw .zipDamaged("the central directory lies outside the file")
        }

        var entries: [Entry] = []
        var position = directoryOffset
        for _ in 0..<count {
            guard position + 46 <= end, Self.uint32(bytes, position) == Self.centralSignature else {
                throw .zipDamaged("the central directory is cut short")
            }
            let nameLength = Self.uint16(bytes, position + 28)
            let extraLength = Self.uint16(bytes, position + 30), commentLength = Self.uint16(bytes, position + 32)
            let nameStart = position + 46
            guard nameStart + nameLength + extraLength + commentLength <= end else {
                throw .zipDamaged("the central directory is cut short")
            }
            let entry = Entry(
                name: String(decoding: bytes[nameStart..<(nameStart + nameLength)], as: UTF8.self),
                method: Self.uint16(bytes, position + 10), flags: Self.uint16(bytes, position + 8),
                crc: Self.uint32(bytes, position + 16),
                compressedSize: Int(Self.uint32(bytes, position + 20)), uncompressedSize: Int(Self.uint32(bytes, position + 24)),
                localHeaderOffset: Int(Self.uint32(bytes, position + 42)))
            if entry.compressedSize == 0xFFFF_FFFF || entry.uncompressedSize == 0xFFFF_FFFF || entry.localHeaderOffset == 0xFFFF_FFFF {
                throw .zip64
            }
            entries.append(entry)
            position = nameStart + nameLength + extraLength + commentLength
        }
        self.entries = entries
    }

    /// The uncompressed bytes of `entry`, checked against its CRC-32.
    public func contents(of entry: Entry) throws(DataFileError) -> [UInt8] {
        let offset = entry.localHeaderOffset
        guard offset <= bytes.count - 30, Self.uint32(bytes, offset) == Self.localSignature else {
            throw .zipMember(entry.name, "its local header is missing")
        }
        if entry.flags & 1 != 0 { throw .zipMember(entry.name, "it is encrypted") }
        let dataStart = offset + 30 + Self.uint16(bytes, offset + 26) + Self.uint16(bytes, offset + 28)
        guard dataStart <= bytes.count, entry.compressedSize <= bytes.count - dataStart else {
            throw .zipMember(entry.name, "it is cut short")
        }
        let data = bytes[dataStart..<(dataStart + entry.compressedSize)]
        let contents: [UInt8]
        switch entry.method {
        case 0:
            guard entry.compressedSize == entry.uncompressedSize else { throw .zipMember(entry.name, "its sizes disagree") }
            contents = Array(data)
        case 8:
            guard entry.uncompressedSize <= entry.compressedSize * Self.deflateExpansionLimit + 1024 else {
                throw .zipMember(entry.name, "it claims more than its compressed data can hold")
            }
            contents = try Self.inflate(data, size: entry.uncompressedSize, name: entry.name)
        default:
            throw .zipMember(entry.name, "it is compressed with method \(entry.method) (stored and deflated only)")
        }
        guard Self.crc32(contents) == entry.crc else { throw .zipMember(entry.name, "its CRC-32 does not match (the file is damaged)") }
        return contents
    }

    // MARK: - zlib

    /// Raw deflate data expanded into exactly `size` bytes.
    private static func inflate(_ data: ArraySlice<UInt8>, size: Int, name: String) throws(DataFileError) -> [UInt8] {
        // One byte more than stated, so that data longer than its stated size is caught.
        var output = [UInt8](repeating: 0, count: size + 1)
        var stream = z_stream()
        guard nn_inflate_init_raw(&stream) == Z_OK else { throw .zipMember(name, "zlib could not start") }
        defer { inflateEnd(&stream) }
        let status: Int32 = data.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.avail_in = UInt32(input.count)
                stream.next_out = out.baseAddress
                stream.avail_out = UInt32(out.count)
                return CZlib.inflate(&stream, Z_FINISH)
            }
        }
        switch status {
        case Z_STREAM_END where Int(stream.total_out) == size:
            output.removeLast()
            return output
        case Z_STREAM_END:
            throw .zipMember(name, "its compressed data does not match its stated size")
        case Z_BUF_ERROR where stream.avail_out == 0:
            throw .zipMember(name, "its compressed data does not match its stated size")
        case Z_BUF_ERROR:
            throw .zipMember(name, "its compressed data is cut short")
        default:
            throw .zipMember(name, "its compressed data is damaged")
        }
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { buffer in
            // zlib takes at most 4 GiB at once; a member is less (ZIP64 is refused).
            UInt32(CZlib.crc32(0, buffer.baseAddress, UInt32(buffer.count)))
        }
    }

    // MARK: - Little-endian fields

    static func uint16(_ bytes: [UInt8], _ offset: Int) -> Int {
        Int(bytes[offset]) | Int(bytes[offset + 1]) << 8
    }

    static func uint32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        (0..<4).reduce(0) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) }
    }
}
