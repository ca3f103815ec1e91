// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets for nn: the lexer, the parser, a whole program parsed and run, and the
// file readers: FuzzFiles (.npy, .npz, CSV), FuzzFANN (FANN .data), FuzzModel (.nnm model
// files) and FuzzONNX (.onnx).
// A separate package, so a normal `swift build` of nn never sees -sanitize=fuzzer.
// Build and run them with `scripts/fuzz.sh [seconds]`.
let package = Package(
    name: "nnFuzz",
    platforms: [.macOS(.v13)],
    // Named, because a path package's identity is its folder's name, which differs by checkout.
    dependencies: [.package(name: "nn", path: "..")],
    targets: [
        .executableTarget(name: "FuzzLexer", dependencies: [.product(name: "NNLang", package: "nn")]),
        .executableTarget(name: "FuzzParser", dependencies: [.product(name: "NNLang", package: "nn")]),
        .executableTarget(name: "FuzzRun", dependencies: [.product(name: "NNLang", package: "nn")]),
        .executableTarget(name: "FuzzFiles", dependencies: [.product(name: "NNLang", package: "nn")]),
        .executableTarget(name: "FuzzONNX", dependencies: [.product(name: "NNLang", package: "nn")]),
        .executableTarget(name: "FuzzFANN", dependencies: [.product(name: "NNLang", package: "nn")]),
        .executableTarget(name: "FuzzModel", dependencies: [.product(name: "NNLang", package: "nn")]),
    ],
    swiftLanguageModes: [.v6]
)
