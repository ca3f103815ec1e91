import NNLang

/// libFuzzer entry point: any bytes, read as an nn model file (`.nnm`) by `load`'s reader, the
/// way `load` reads them (as UTF-8, invalid bytes replaced). It must return a model or an error,
/// never crash, hang or allocate what the file only claims; what it reads must encode again.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var results = 0
    if case .success(let contents) = ModelFile.decode(bytes: bytes) {
        // What load reads, save writes and load reads again.
        let text = ModelFile.encode(contents)
        if case .failure = ModelFile.decode(text) { fatalError("a model load read does not read back") }
        results += text.utf8.count
    }
    // Use the result, or the optimizer may delete the calls.
    return results == Int.max ? 1 : 0
}
