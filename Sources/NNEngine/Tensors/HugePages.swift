#if canImport(Glibc)
import Glibc
#endif

/// Huge pages for large buffers that are about to be filled: NumPy asks Linux for them on every
/// array of 4 MiB or more, and a buffer filled from a file then takes one page fault per 2 MiB
/// instead of one per 4 KiB. Reading a 376 MB `.npy` file spent most of its time in those faults.
public enum HugePages {
    /// Asks the kernel (where transparent huge pages are on `madvise`, as on Debian) to back the
    /// 2 MiB-aligned part of `byteCount` bytes at `start` with huge pages. Call it before the
    /// buffer is first written; it changes no contents and is only advice, so it may do nothing.
    public static func advise(_ start: UnsafeMutableRawPointer, byteCount: Int) {
        #if os(Linux)
        let hugePage = 2 << 20
        guard byteCount >= 4 << 20 else { return }
        let first = (Int(bitPattern: start) + hugePage - 1) & ~(hugePage - 1)
        let end = (Int(bitPattern: start) + byteCount) & ~(hugePage - 1)
        guard end > first, let aligned = UnsafeMutableRawPointer(bitPattern: first) else { return }
        _ = madvise(aligned, end - first, Int32(MADV_HUGEPAGE))
        #endif
    }

    /// An empty array with room for `capacity` elements, that room advised as above: for
    /// numbers appended one by one (a CSV file's), which would otherwise fault in a page at a time.
    public static func emptyArray<Element>(capacity: Int) -> [Element] {
        [Element](unsafeUninitializedCapacity: capacity) { buffer, initialized in
            if let base = buffer.baseAddress { advise(base, byteCount: buffer.count * MemoryLayout<Element>.stride) }
            initialized = 0
        }
    }
}
