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
        report.decode = try decodeRows(transformer, machine: machine, tokens: tokens)
        report.storages = try compareStorages(
            first: BenchmarkReport.StorageRun(storage: report.storage, weightMB: Double(report.weightBytes) / 1_048_576,
                                              peakResidentMB: firstGrowth.peakMB, prefill: report.prefill,
                                              decode: report.decode),
            machine: machine, tokens: tokens)
        if compareKvCache { report.caches = try compareCaches(transformer, decoded: report.decode, machine: machine, tokens: tokens) }
        report.peakResidentMB = Double(ProcessMemory.peakResidentBytes) / 1_048_576
        report.loadAverageAfter = loadAverage()
        try emit(report, table: report.table)
    }

    /// Timed decode steps after each of `decodeContext` tokens.
    func decodeRows(_ transformer: TransformerModel, machine: MachineProbe, tokens: (Int) -> [TokenID],
                    cache: KVCacheStorage? = nil) throws -> [BenchmarkReport.Decode] {
        let cache = cache ?? modelOptions.kvCache
        let c = transformer.configuration
        let window = c.trainedContextLength
        var rows: [BenchmarkReport.Decode] = []
        for context in decodeContext {
            let steps = decodeSteps
            let prefillLength = min(context, window - steps)
            guard prefillLength > 0 else { continue }
            let session = try InferenceSession(model: transformer, capacity: prefillLength + steps, blockSize: blockSize,
                                               keyValueCache: cache)
            var logits = try session.append(tokens(prefillLength))
            let weights = transformer.weights.matrices.flatMap(\.storedBytes)
            let readBefore = ReadProbe.gigabytesPerSecond(reading: weights, threads: MachineProbe.threads)
            let start = Date()
            for _ in 0..<steps {
                let next = TokenID(logits.argmax)
                logits = try session.decode(next)
            }
            let seconds = Date().timeIntervalSince(start)
            let read = max(readBefore, ReadProbe.gigabytesPerSecond(reading: weights, threads: MachineProbe.threads))
            let averageContext: Double = Double(prefillLength) + Double(steps) / 2
            let bytes: Double = FlopModel(configuration: c)
                .decodeBytes(context: averageContext, bytesPerWeight: transformer.weights.storage.bytesPerWeight,
                             bytesPerCacheValue: Double(cache.bytesPerValue))
            let rate: Double = Double(steps) / seconds
            let gigabytesPerSecond: Double = bytes * rate / 1e9
            let resident: Double = Double(ProcessMemory.residentBytes) / 1_048_576
            rows.append(BenchmarkReport.Decode(
                context: prefillLength, steps: steps, tokensPerSecond: rate, bytesPerToken: bytes,
                fractionOfCopyBandwidth: gigabytesPerSecond / machine.copyGBps,
                fractionOfReadBandwidth: gigabytesPerSecond / read, readGBps: read, residentMB: resident,
                sessionMB: Double(session.byteCount) / 1_048_576))
        }
        return rows
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
