import NNLang

/// libFuzzer entry point: any bytes, read as an ONNX model by `load "m.onnx"`'s reader, with a
/// small and the default element limit. It must return a model or an error, never crash, hang
/// or allocate what the bytes only claim.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var results = 0
    for maxElements in [64, 100_000_000] {
        if case .success(let contents) = ONNXImport.decode(bytes, maxElements: maxElements) {
            results += contents.network.layers.count
        }
    }
    // Use the result, or the optimizer may delete the calls.
    return results == Int.max ? 1 : 0
}
