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
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "seal-run", targets: ["seal-run"]),
        .executable(name: "seald", targets: ["seald"]),
        .executable(name: "sealctl", targets: ["sealctl"]),
        // Built-in plugins: separate shared objects loaded through the C ABI like any other.
        // context extension
        .library(name: "seal-linear", type: .dynamic, targets: ["SealPluginLinear"]),
        .library(name: "seal-ntk", type: .dynamic, targets: ["SealPluginNTK"]),
        .library(name: "seal-dynamic-ntk", type: .dynamic, targets: ["SealPluginDynamicNTK"]),
        .library(name: "seal-yarn", type: .dynamic, targets: ["SealPluginYaRN"]),
        .library(name: "seal-llama3", type: .dynamic, targets: ["SealPluginLlama3"]),
        .library(name: "seal-self-extend", type: .dynamic, targets: ["SealPluginSelfExtend"]),

        // tasks
        .library(name: "seal-passkey", type: .dynamic, targets: ["SealPluginPasskey"]),
        .library(name: "seal-lines", type: .dynamic, targets: ["SealPluginLines"]),
        .library(name: "seal-kv", type: .dynamic, targets: ["SealPluginKV"]),
        .library(name: "seal-niah", type: .dynamic, targets: ["SealPluginNIAH"]),

        // scaling strategies
        .library(name: "seal-headwise", type: .dynamic, targets: ["SealPluginHeadwise"]),
        .library(name: "seal-channelwise", type: .dynamic, targets: ["SealPluginChannelwise"]),

        .library(name: "SealModel", targets: ["SealModel"]),
        .library(name: "SealGeneration", targets: ["SealGeneration"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .systemLibrary(
            name: "COpenBLAS",
            path: "Sources/COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        /// bf16 and Q8_0 matrix-vector kernels, one variant per instruction set, chosen at run time.
        .target(
            name: "CSealKernels",
            path: "Sources/CSealKernels",
            cSettings: [.unsafeFlags(["-O2"])]
        ),
        .target(
            name: "SealTensor",
            dependencies: ["COpenBLAS", "CSealKernels"],
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
        /// Learning SEAL scales: reverse-mode gradients to head/channel scales and the optimiser.
        .target(
            name: "SealTuning",
            dependencies: ["SealModel", "SealTensor", "SealTokenizer", "SealPlugins", "SealGeneration"],
            swiftSettings: optimized
        ),
        .executableTarget(
            name: "seal-run",
            dependencies: [
                "SealGeneration", "SealModel", "SealTokenizer", "SealTensor", "SealPlugins", "SealTuning",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // MARK: service side
        .systemLibrary(
            name: "CSystemd",
            path: "Sources/CSystemd",
            pkgConfig: "libsystemd",
            providers: [.apt(["libsystemd-dev"])]
        ),
        /// The plugin ABI: one C header, shared by the host and every plugin.
        .target(name: "SealPluginABI", path: "Sources/SealPluginABI"),
        /// Linux calls Swift's Glibc module lacks (memfd_create, file seals).
        .target(name: "CSealPlatform", path: "Sources/CSealPlatform"),
        .target(
            name: "SealPlugins",
            dependencies: ["SealPluginABI", "CSealPlatform", "SealModel", "SealTokenizer"]
        ),
        .target(
            name: "SealConfig",
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "SealSystemd",
            dependencies: ["CSystemd", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "SealServer",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        /// Request and response types of the HTTP API, shared by seald and sealctl.
        .target(name: "SealAPI"),
        .target(
            name: "SealService",
            dependencies: [
                "SealAPI", "SealServer", "SealPlugins", "SealGeneration", "SealModel", "SealTokenizer", "SealTuning",
                "SealConfig", "SealSystemd", .product(name: "Logging", package: "swift-log"),
            ]
        ),
        /// The HTTP API over the service: routes, and service errors mapped to statuses.
        .target(
            name: "SealRoutes",
            dependencies: ["SealService", "SealServer", "SealAPI", "SealModel", "SealPlugins", "SealGeneration",
                           .product(name: "NIOHTTP1", package: "swift-nio")]
        ),
        .target(
            name: "SealClient",
            dependencies: ["SealAPI"]
        ),
        .executableTarget(
            name: "seald",
            dependencies: ["SealService", "SealRoutes", "SealConfig", "SealSystemd", "SealServer", "SealAPI", "SealTensor",
                           .product(name: "ArgumentParser", package: "swift-argument-parser"),
                           .product(name: "Logging", package: "swift-log")]
        ),
        .executableTarget(
            name: "sealctl",
            dependencies: ["SealClient", "SealAPI", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // MARK: context-extension plugins
        .target(name: "SealPluginLinear", dependencies: ["SealPluginRoPECommon"], path: "Plugins/linear-interpolation"),
        /// What the RoPE-scaling plugins share (header-only helpers), compiled into each.
        .target(name: "SealPluginRoPECommon", dependencies: ["SealPluginABI"], path: "Plugins/rope-common"),
        .target(name: "SealPluginNTK", dependencies: ["SealPluginRoPECommon"], path: "Plugins/ntk",
                linkerSettings: [.linkedLibrary("m")]),
        .target(name: "SealPluginDynamicNTK", dependencies: ["SealPluginRoPECommon"], path: "Plugins/dynamic-ntk",
                linkerSettings: [.linkedLibrary("m")]),
        .target(name: "SealPluginYaRN", dependencies: ["SealPluginRoPECommon"], path: "Plugins/yarn",
                linkerSettings: [.linkedLibrary("m")]),
        .target(name: "SealPluginLlama3", dependencies: ["SealPluginRoPECommon"], path: "Plugins/llama3",
                linkerSettings: [.linkedLibrary("m")]),
        .target(name: "SealPluginSelfExtend", dependencies: ["SealPluginABI"], path: "Plugins/self-extend"),

        // MARK: task plugins
        .target(name: "SealPluginPasskey", dependencies: ["SealPluginABI"], path: "Plugins/passkey"),
        .target(name: "SealPluginLines", dependencies: ["SealPluginABI"], path: "Plugins/lines"),
        .target(name: "SealPluginKV", dependencies: ["SealPluginABI"], path: "Plugins/kv"),
        .target(name: "SealPluginNIAH", dependencies: ["SealPluginABI"], path: "Plugins/niah"),

        // MARK: scaling-strategy plugins
        .target(name: "SealPluginHeadwise", dependencies: ["SealPluginABI"], path: "Plugins/headwise-scaling"),
        .target(name: "SealPluginChannelwise", dependencies: ["SealPluginABI"], path: "Plugins/channelwise-scaling"),

        // MARK: tests
        .testTarget(name: "SealFormatsTests", dependencies: ["SealFormats"]),
        .testTarget(name: "SealTokenizerTests", dependencies: ["SealTokenizer", "SealFormats"]),
        .testTarget(name: "SealModelTests", dependencies: ["SealModel", "SealTensor", "SealFormats", "SealTestSupport"]),
        .testTarget(name: "SealGenerationTests", dependencies: ["SealGeneration", "SealModel", "SealTokenizer", "SealTestSupport"]),
        .testTarget(name: "SealPluginsTests", dependencies: ["SealPlugins", "SealPluginABI", "SealModel", "SealTokenizer", "SealFormats", "SealTestSupport"]),
        .testTarget(name: "SealConfigTests", dependencies: ["SealConfig"]),
        /// Helpers shared by the test suites (child processes without Foundation.Process).
        .target(name: "SealTestSupport", dependencies: ["SealFormats", "CSealTestSpawn"], path: "Tests/SealTestSupport"),
        /// Starts test children that die with the test process (fork, PR_SET_PDEATHSIG, exec in C).
        .target(name: "CSealTestSpawn", path: "Tests/CSealTestSpawn"),
        .testTarget(name: "SealServerTests", dependencies: ["SealServer", "SealSystemd", "SealTestSupport"]),
        .testTarget(name: "SealServiceTests", dependencies: ["SealService", "SealConfig", "SealServer", "SealAPI", "SealTestSupport", "SealPlugins", "SealModel", "SealGeneration", .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "SealRoutesTests", dependencies: ["SealRoutes", "SealService", "SealTensor", "SealModel", "SealGeneration", "SealPlugins", "SealTuning", "SealTokenizer", "SealConfig", "SealServer", "SealAPI", "SealTestSupport", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "SealTuningTests", dependencies: ["SealTuning", "SealModel", "SealTensor", "SealTokenizer", "SealFormats", "SealPlugins", "SealGeneration", "SealTestSupport"]),
        .testTarget(name: "SealctlTests", dependencies: ["sealctl", "SealAPI"]),
        .testTarget(name: "SealEndToEndTests", dependencies: ["SealAPI", "SealClient", "SealTestSupport"]),
    ]
)

/// Numeric targets are compiled with optimisation even in debug builds so that
/// the test suite, which runs the real model, stays fast. Bounds checks stay on.
var optimized: [SwiftSetting] {
    [.unsafeFlags(["-O"], .when(configuration: .debug))]
}
