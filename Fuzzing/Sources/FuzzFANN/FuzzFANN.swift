import NNLang

/// libFuzzer entry point: any bytes, read as a FANN `.data` file by `data "d.data"`'s reader.
/// It must return a data set or an error, never crash, hang or allocate what the header only
/// claims.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var results = 0
    if case .success(let set) = FANNReader.read(bytes: bytes, name: "fuzz") { results += set.sampleCount }
    // Use the result, or the optimizer may delete the calls.
    return results == Int.max ? 1 : 0
}
