import ArgumentParser
import Foundation
import SealModel
import SealTensor
import SealTokenizer

/// Measures the core against the machine it runs on, in one process.
///
/// Absolute numbers vary between machines (and between runs on shared ones);
/// the ratios to this same run's sgemm throughput and copy bandwidth are what
/// say how close the engine is to the hardware.
struct Benchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Prefill/decode throughput, peak memory, and ratios to the machine's sgemm and copy bandwidth.")

    @OptionGroup var modelOptions: ModelOptions

    @Option(name: .long, parsing: .upToNextOption, help: "Prompt lengths for prefill.")
    var prefill: [Int] = [512, 2048, 8192]

    @Option(name: .long, parsing: .upToNextOption, help: "Context lengths before decoding.")
    var decodeContext: [Int] = [128, 8192]

    @Option(name: .long, help: "Decode steps timed per context length.")
    var decodeSteps = 32

    @Option(name: .long, parsing: .upToNextOption,
            help: "Also decode with these weight storages (f32, bf16, q8_0), loaded in turn in this process.")
    var compareWeights: [WeightStorage] = []

    @Flag(name: .long, help: "Also decode with the other KV cache type (f32 / f16) at each --decode-context, as ratios.")
    var compareKvCache = false

    @Option(name: .long, help: "Prefill block size (rows per sgemm).")
    var blockSize = 512

    @Flag(name: .long, help: "Emit JSON instead of a table.")
    var json = false

    @OptionGroup var extensionOptions: ExtensionOptions

    @Option(name: .long, help: "Prompt length for --extension.")
    var length = 16_384

    @Flag(name: .long, help: "Measure one SEAL training step (forward + backward) against the forward of the same sample instead.")
    var trainStep = false

    @Flag(name: .long, help: "Time the decode step's matrix-vector products alone (sgemv against the decode pool, grouped against separate) instead.")
    var products = false

    @Option(name: .long, parsing: .upToNextOption, help: "Sample lengths for --train-step.")
    var trainLengths: [Int] = [2048, 8192]

    func run() throws {
        #if DEBUG
        printError("warning: this is a debug build; benchmark a release build (swift build -c release)")
        #endif
        if let encoding = try extensionOptions.encoding(length: length + decodeSteps) {
            let model = try modelOptions.load()
            let report = try ExtensionBenchmark(transformer: model.transformer, length: length, steps: decodeSteps,
                                                blockSize: blockSize).compare(encoding)
            try emit(report, table: report.table)
            return
        }
        if products {
            let model = try modelOptions.load()
            let report = ProductBenchmark(weights: model.transformer.weights, threads: BLAS.threadCount).measure()
            try emit(report, table: ProductBenchmark.table(report))
            return
        }
        let loadBefore = loadAverage()
        let machine = MachineProbe.measure()
        let firstGrowth = PeakMemory.Growth()
        let loadStart = Date()
        let model = try modelOptions.load()
        let loadSeconds = Date().timeIntervalSince(loadStart)
        let transformer = model.transformer
        let c = transformer.configuration
        let window = c.trainedContextLength
        var report = BenchmarkReport(
            model: transformer.source, blasCore: BLAS.coreName, blasThreads: BLAS.threadCount,
            coreTypeEnvironment: ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] ?? "(unset)",
            sgemmGFLOPS: machine.sgemmGFLOPS, copyGBps: machine.copyGBps, readGBps: machine.readGBps,
            loadSeconds: loadSeconds, weightBytes: transformer.weights.byteCount,
            storage: transformer.weights.storage.rawValue, loadAverageBefore: loadBefore)

        var random = SystemRandomNumberGenerator()
        func tokens(_ n: Int) -> [TokenID] {
            (0..<n).map { _ in TokenID.random(in: 100..<TokenID(c.vocabularySize), using: &random) }
        }
        if trainStep {
            let lengths = trainLengths.filter { $0 >= 32 && $0 <= window }
            let rows = try TrainStepBenchmark(model: transformer).measure(lengths: lengths, tokens: tokens)
            let header = report.table.split(separator: "\n").prefix(4).joined(separator: "\n")
            try emit(rows, table: header + "\n" + TrainStepBenchmark.table(rows))
            return
        }
        report.prefill = try prefillRows(transformer, machine: machine, tokens: tokens)
        // Decode sessions of every model and cache type first, then their steps in shared rounds.
        let decode = try prepareDecode(transformer, cache: modelOptions.kvCache, tokens: tokens)
        let firstPeakMB = firstGrowth.peakMB
        // The other cache types before the other storages load, so their resident figures hold this model only.
        let caches = compareKvCache
            ? try prepareCaches(transformer, tokens: tokens, heldBytes: decode.reduce(0) { $0 + $1.session.byteCount })
            : []
        let others = try prepareStorages(except: transformer.weights.storage, machine: machine, tokens: tokens)
        try timeInterleaved(decode + others.flatMap(\.decode) + caches)
        report.decode = decode.map { $0.row(copyGBps: machine.copyGBps) }
        report.storages = storageRuns(
            first: BenchmarkReport.StorageRun(storage: report.storage, weightMB: Double(report.weightBytes) / 1_048_576,
                                              peakResidentMB: firstPeakMB, prefill: report.prefill, decode: report.decode),
            others: others, machine: machine)
        if compareKvCache { report.caches = cacheRows(decode + caches, machine: machine) }
        report.peakResidentMB = Double(ProcessMemory.peakResidentBytes) / 1_048_576
        report.loadAverageAfter = loadAverage()
        try emit(report, table: report.table)
    }

    /// Prints `report` as JSON with `--json`, else as its table.
    private func emit<Report: Encodable>(_ report: Report, table: String) throws {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(table)
        }
    }
}
