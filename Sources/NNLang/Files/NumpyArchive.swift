import NNEngine

/// NumPy's `.npz` format: a ZIP archive of `.npy` files, one per array, as `np.savez` (stored)
/// and `np.savez_compressed` (deflated) write them. An array is named by its member's name
/// with or without `.npy`: `"d.npz:x"` is the member `x.npy` of `d.npz`.
public enum NumpyArchive {
    /// The file and the member of `"d.npz:x"`; a name that is not in an archive has no member,
    /// and `"d.npz"` alone has the member "" (which `decode` says to name).
    public static func splitMemberName(_ text: String) -> (path: String, member: String?) {
        if text.hasSuffix(".npz") { return (text, "") }
        // The last ".npz:", so a folder name with ".npz:" in it does not split the path.
        let characters = Array(text)
        let marker = Array(".npz:")
        guard characters.count >= marker.count else { return (text, nil) }
        for start in stride(from: characters.count - marker.count, through: 0, by: -1)
        where Array(characters[start..<(start + marker.count)]) == marker {
            return (String(characters[..<(start + 4)]), String(characters[(start + 5)...]))
        }
        return (text, nil)
    }

    /// The array named `member` in the bytes of a `.npz` file.
    public static func decode(_ bytes: [UInt8], member: String) -> Result<Matrix, DataFileError> {
        do throws(DataFileError) {
            let archive = try ZipArchive(bytes)
            let arrays = archive.entries.map { $0.name.hasSuffix(".npy") ? String($0.name.dropLast(4)) : $0.name }
            guard !member.isEmpty,
                  let entry = archive.entries.first(where: { $0.name == member })
                      ?? archive.entries.first(where: { $0.name == member + ".npy" }) else {
                throw .zipMissingMember(member, arrays: arrays)
            }
            let contents = try archive.contents(of: entry)
            switch NumpyFormat.decode(contents) {
            case .success(let matrix): return .success(matrix)
            case .failure(let error): throw .inArchiveMember(entry.name, error)
            }
        } catch {
            return .failure(error)
        }
    }
}
