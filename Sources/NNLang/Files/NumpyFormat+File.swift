#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NNEngine

/// Reading a `.npy` file in one pass: the header first, then the elements straight into the
/// matrix's storage, so the file's bytes are never held beside the matrix.
extension NumpyFormat {
    enum ReadFailure: Error, Equatable {
        case file(FileError)
        case data(DataFileError)
        /// The matrix would need `bytes`, more than the caller allows.
        case tooLarge(rows: Int, columns: Int, bytes: Int)
    }

    /// The bytes converted at a time for element types that are not float64: small enough to
    /// stay in cache, large enough that the system calls do not count.
    static let blockBytes = 1 << 20

    /// The matrix in the `.npy` file at `path`, read as `decode` would read the file's bytes and
    /// with the same errors; float64 elements are copied as they are, other types converted a
    /// block at a time. A matrix of more than `memoryLimit` bytes is refused before anything is
    /// allocated. Files that are not regular (a pipe, a device) are read whole, then decoded.
    static func read(path: String, memoryLimit: Int = .max, sizeLimit: Int = FileAccess.defaultSizeLimit) -> Result<Matrix, ReadFailure> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(.file(.cannotOpen(path: path, reason: FileAccess.systemReason()))) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return .failure(.file(.cannotRead(path: path, reason: FileAccess.systemReason()))) }
        if (status.st_mode & S_IFMT) == S_IFDIR { return .failure(.file(.isDirectory(path: path))) }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            switch FileAccess.readAll(descriptor, size: 0, path: path, sizeLimit: sizeLimit) {
            case .failure(let error): return .failure(.file(error))
            case .success(let bytes): return decode(bytes).mapError { .data($0) }
            }
        }
        let fileSize = Int(status.st_size)
        if fileSize > sizeLimit { return .failure(.file(.tooLarge(path: path, limit: sizeLimit))) }
        func readFailure() -> ReadFailure { .file(.cannotRead(path: path, reason: FileAccess.systemReason())) }

        // The header: its length is in the first bytes.
        var header = [UInt8](repeating: 0, count: Layout.prefixLength)
        guard let prefixCount = header.withUnsafeMutableBytes({ FileAccess.readFully(descriptor, into: $0) }) else { return .failure(readFailure()) }
        header.removeLast(Layout.prefixLength - prefixCount)
        let headerEnd: Int
        switch Layout.headerEnd(header) {
        case .success(let end): headerEnd = end
        case .failure(let error): return .failure(.data(error))
        }
        if headerEnd > header.count {
            var rest = [UInt8](repeating: 0, count: min(headerEnd, fileSize) - header.count)
            guard let restCount = rest.withUnsafeMutableBytes({ FileAccess.readFully(descriptor, into: $0) }) else { return .failure(readFailure()) }
            header += rest[0..<restCount]
        }
        let layout: Layout
        switch Layout.parse(header) {
        case .success(let parsed): layout = parsed
        case .failure(let error): return .failure(.data(error))
        }
        // A header that parses ends past the prefix ("{}" alone takes it to byte 12), so the
        // descriptor is at the first element.
        guard layout.dataStart >= header.count else { return .failure(.data(.malformedNumpyHeader("the header is cut short"))) }
        let available = fileSize - layout.dataStart
        guard layout.byteCount <= available else { return .failure(.data(.numpyDataSize(expected: layout.byteCount, found: available))) }
        let bytes = MemoryBudget.bytes(ofNumbers: layout.count)
        guard bytes <= memoryLimit else { return .failure(.tooLarge(rows: layout.rows, columns: layout.columns, bytes: bytes)) }

        var failure: ReadFailure?
        var inexact: ElementType.InexactInteger?
        let changed = ReadFailure.file(.cannotRead(path: path, reason: "it changed while it was read"))
        let elements = [Double](unsafeUninitializedCapacity: layout.count) { output, initialized in
            initialized = layout.count
            guard let base = output.baseAddress else { return }
            HugePages.advise(base, byteCount: layout.count * MemoryLayout<Double>.size)
            if layout.elementType.isMachineFloat64 {
                // The file's bytes are the storage's.
                let target = UnsafeMutableRawBufferPointer(start: base, count: layout.byteCount)
                switch FileAccess.readFully(descriptor, into: target) {
                case target.count: return
                case nil: failure = readFailure()
                default: failure = changed
                }
                base.initialize(repeating: 0, count: layout.count)
                return
            }
            let size = layout.elementType.size
            var block = [UInt8](repeating: 0, count: blockBytes)  // a whole number of elements of every size
            var done = 0
            while done < layout.count {
                let wanted = min(block.count, (layout.count - done) * size)
                let got = block.withUnsafeMutableBytes { FileAccess.readFully(descriptor, into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<wanted])) }
                guard let got, got == wanted else { failure = got == nil ? readFailure() : changed; break }
                let found = block.withUnsafeBytes { layout.elementType.decode(UnsafeRawBufferPointer(rebasing: $0[0..<wanted]), into: output, at: done) }
                if let found { inexact = found; break }
                done += wanted / size
            }
            if done < layout.count { (base + done).initialize(repeating: 0, count: layout.count - done) }
        }
        if let failure { return .failure(failure) }
        return layout.matrix(elements, inexact: inexact).mapError { .data($0) }
    }
}

extension NumpyFormat.ElementType {
    /// Whether the file's bytes are this machine's float64s (nn runs on little-endian machines).
    var isMachineFloat64: Bool { kind == .float && size == 8 && !bigEndian }
}
