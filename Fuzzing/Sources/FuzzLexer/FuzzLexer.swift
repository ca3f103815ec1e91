import NNLang

/// libFuzzer entry point: any bytes, read as UTF-8 the way nn reads a file, through the lexer.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let lexed = Lexer.tokenize(text)
    // Use the result, or the optimizer may delete the call.
    return lexed.tokens.count + lexed.diagnostics.count == Int.max ? 1 : 0
}
