/// Writing ZIP archives: stored (uncompressed) members, as `np.savez` writes them.
extension ZipArchive {
    /// The bytes of an archive holding `members` in order, each stored with its CRC-32. Each
    /// member and the whole archive must stay under 4 GiB and 65,535 members (no ZIP64), which
    /// the callers' layer-size limits guarantee.
    static func stored(_ members: [(name: String, contents: [UInt8])]) -> [UInt8] {
        precondition(members.count < 0xFFFF, "\(members.count) members need ZIP64")
        var archive: [UInt8] = []
        var directory: [UInt8] = []
        for member in members {
            let name = Array(member.name.utf8)
            let crc = crc32(member.contents)
            let offset = archive.count
            precondition(offset + member.contents.count < 0xFFFF_FFFF, "an archive past 4 GiB needs ZIP64")
            // version 2.0, no flags, method 0 (stored), 1980-01-01 00:00, CRC, sizes, name length, no extra field
            let common: [UInt8] = le16(20) + le16(0) + le16(0) + le16(0) + le16(0x21) + le32(crc)
                + le32(UInt32(member.contents.count)) + le32(UInt32(member.contents.count)) + le16(UInt16(name.count)) + le16(0)
            archive += le32(localSignature) + common + name + member.contents
            // made by version 2.0; no comment, disk 0, no attributes; where the local header is
            directory += le32(centralSignature) + le16(20) + common + le16(0) + le16(0) + le16(0) + le32(0)
                + le32(UInt32(offset)) + name
        }
        let directoryOffset = archive.count
        archive += directory
        archive += le32(endSignature) + le16(0) + le16(0) + le16(UInt16(members.count)) + le16(UInt16(members.count))
            + le32(UInt32(directory.count)) + le32(UInt32(directoryOffset)) + le16(0)
        return archive
    }

    private static func le16(_ value: UInt16) -> [UInt8] {
        [UInt8(value & 0xFF), UInt8(value >> 8)]
    }

    private static func le32(_ value: UInt32) -> [UInt8] {
        (0..<4).map { UInt8((value >> (8 * $0)) & 0xFF) }
    }
}
