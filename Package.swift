// swift-tools-version:6.0
import PackageDescription

/// seal: long-context retrieval for local language models (SEAL attention scaling),
/// served as a Linux service. Targets are small and each owns one concern:
///
/// - `COpenBLAS`: the system BLAS, the only place matrix products are computed.
/// - `SealTensor`: BLAS bindings and the small fp32 kernels around them.
/// - `SealFormats`: model files on disk (GGUF, safetensors, HF directories), dequantization.
/// - `SealTokenizer`: byte-level and SentencePiece BPE, chat templates.
/// - `SealModel`: model configuration, weight loading, the transformer with its KV cache,
///   and the two extension points SEAL needs (position encoding and head scaling).
/// - `SealGeneration`: sampling, stop conditions and the decode loop.
let package = Package(
    name: "seal",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "seal-run", targets: ["seal-run"]),
        .library(name: "SealModel", targets: ["SealModel"]),
        .library(name: "SealGeneration", targets: ["SealGeneration"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(
            name: "COpenBLAS",
            path: "Sources/COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .target(
            name: "SealTensor",
            dependencies: ["COpenBLAS"],
            swiftSettings: optimized
        ),
        .target(
            name: "SealFormats",
            swiftSettings: optimized
        ),
        .target(
            name: "SealTokenizer",
            dependencies: ["SealFormats"]
        ),
        .target(
            name: "SealModel",
            dependencies: ["SealTensor", "SealFormats", "SealTokenizer"],
            swiftSettings: optimized
        ),
        .target(
            name: "SealGeneration",
            dependencies: ["SealModel", "SealTokenizer", "SealTensor"]
        ),
        .executableTarget(
            name: "seal-run",
            dependencies: [
                "SealGeneration", "SealModel", "SealTokenizer", "SealTensor",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "SealFormatsTests", dependencies: ["SealFormats"]),
        .testTarget(name: "SealTokenizerTests", dependencies: ["SealTokenizer", "SealFormats"]),
        .testTarget(name: "SealModelTests", dependencies: ["SealModel", "SealTensor", "SealFormats"]),
        .testTarget(name: "SealGenerationTests", dependencies: ["SealGeneration", "SealModel", "SealTokenizer"]),
    ]
)

/// Numeric targets are compiled with optimisation even in debug builds so that
/// the test suite, which runs the real model, stays fast. Bounds checks stay on.
var optimized: [SwiftSetting] {
    [.unsafeFlags(["-O"], .when(configuration: .debug))]
}
