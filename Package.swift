// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "nn",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "nn", targets: ["nn"]),
        .library(name: "NNEngine", targets: ["NNEngine"]),
        .library(name: "NNLang", targets: ["NNLang"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    ],
    targets: [
        // Numbers only: matrices, activations, losses, layers, the network, gradient descent.
        .target(name: "NNEngine", dependencies: ["COpenBLAS", "NNKernels"]),
        // Hand-written AVX-512 kernels in C for the hottest products, checked for at run time.
        .target(name: "NNKernels"),
        // OpenBLAS for the matrix product: a system library, used by the engine only.
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        // The built-in data sets' CSV text, generated from data/ by scripts/generate-bundled-data.sh.
        .target(name: "NNData"),
        // The language: lexer, parser, diagnostics, interpreter. Writes to a sink it is given.
        .target(name: "NNLang", dependencies: ["NNEngine", "NNData", "CZlib"]),
        // zlib for the deflated arrays of .npz archives: a system library, used by the ZIP reader only.
        .systemLibrary(
            name: "CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // libedit for the prompt: a system library, used by the executable only.
        .systemLibrary(
            name: "CEditLine",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        // The thin executable: flags, where input comes from, exit codes.
        .executableTarget(
            name: "nn",
            dependencies: [
                "NNLang",
                "CEditLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Fixtures/ holds the scripts that write reference values with PyTorch.
        .testTarget(name: "NNEngineTests", dependencies: ["NNEngine", "NNKernels"], exclude: ["Fixtures"]),
        // Fixtures/ holds .npy files written by real NumPy, and the script that writes them.
        .testTarget(name: "NNLangTests", dependencies: ["NNLang", "NNEngine"], exclude: ["Fixtures"]),
        // Runs the real binary; Golden/ holds programs with their exact expected output.
        .testTarget(name: "nnTests", dependencies: ["nn"], exclude: ["Golden", "Prompt", "Interop", "Editors"]),
    ],
    swiftLanguageModes: [.v6]
)
