import NNLang

/// libFuzzer entry point: any bytes, read by every file reader nn has: as a `.npy` file, as
/// a `.npz` archive (each member, and one that is not there), and as CSV in several dialects,
/// for training and for `predict`. Each must return a value or an error, never crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var results = 0
    if case .success = NumpyFormat.decode(bytes) { results += 1 }
    if let archive = try? ZipArchive(bytes) {
        for entry in archive.entries.prefix(8) {
            if case .success = NumpyArchive.decode(bytes, member: entry.name) { results += 1 }
        }
    }
    if case .success = NumpyArchive.decode(bytes, member: "x") { results += 1 }
    let dialects = [
        CSVDialect(),
        CSVDialect(separator: UInt8(ascii: ";"), hasHeader: false),
        CSVDialect(separator: UInt8(ascii: "\t")),
    ]
    for dialect in dialects {
        for target in [CSVReader.TargetColumn.last, .position(1), .named("y")] {
            if case .success = CSVReader.read(bytes: bytes, target: target, dialect: dialect) { results += 1 }
        }
        if case .success = CSVReader.read(bytes: bytes, target: .last, dialect: dialect, targetIsClass: true, classNames: ["a", "1"]) {
            results += 1
        }
        if case .success = CSVReader.readMatrix(bytes: bytes, dialect: dialect, selecting: ["a", "b"]) { results += 1 }
    }
    // Use the result, or the optimizer may delete the calls.
    return results == Int.max ? 1 : 0
}
