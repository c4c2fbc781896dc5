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

    @Option(name: .customLong("extension"),
            help: ArgumentHelp("Compare this context-extension plugin with plain attention at --length instead.",
                               valueName: "plugin"))
    var extensionPlugin: String?

    @Option(name: .long, help: ArgumentHelp("A parameter of the extension plugin (repeatable).", valueName: "k=v"))
    var extensionParam: [String] = []

    @Option(name: .long, help: "Prompt length for --extension.")
    var length = 16_384

    @Option(name: .long, help: "Directory holding the plugin .so files (default: next to seal-run).")
    var pluginDirectory: String?

    @Flag(name: .long, help: "Measure one SEAL training step (forward + backward) against the forward of the same sample instead.")
    var trainStep = false

    @Option(name: .long, parsing: .upToNextOption, help: "Sample lengths for --train-step.")
    var trainLengths: [Int] = [2048, 8192]

    func run() throws {
        #if DEBUG
        printError("warning: this is a debug build; benchmark a release build (swift build -c release)")
        #endif
        if let name = extensionPlugin {
            let model = try modelOptions.load()
            let encoding = try ExtensionBenchmark.encoding(named: name, pairs: extensionParam, directory: pluginDirectory,
                                                           length: length + decodeSteps)
            let report = try ExtensionBenchmark(transformer: model.transformer, length: length, steps: decodeSteps,
                                                blockSize: blockSize).compare(encoding)
            try emit(report, table: report.table)
            return
        }
        let machine = MachineProbe.measure()
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
            storage: transformer.weights.storage.rawValue)

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
        for length in prefill {
            guard length <= window else { printError("skipping prefill \(length): above the \(window)-token window"); continue }
            let session = try InferenceSession(model: transformer, capacity: length, blockSize: blockSize,
                                               keyValueCache: modelOptions.kvCache)
            let prompt = tokens(length)
            let start = Date()
            try session.append(prompt)
            let seconds = Date().timeIntervalSince(start)
            let flops: Double = FlopModel(configuration: c).prefillFLOPs(tokens: length)
            let gflops: Double = flops / seconds / 1e9
            let rate: Double = Double(length) / seconds
            let resident: Double = Double(ProcessMemory.residentBytes) / 1_048_576
            report.prefill.append(BenchmarkReport.Prefill(
                tokens: length, seconds: seconds, tokensPerSecond: rate, modelGFLOPS: gflops,
                fractionOfSgemm: gflops / machine.sgemmGFLOPS, residentMB: resident))
        }
        report.decode = try decodeRows(transformer, machine: machine, tokens: tokens)
        report.storages = try compareStorages(first: transformer, firstDecode: report.decode, machine: machine,
                                               tokens: tokens)
        if compareKvCache { report.caches = try compareCaches(transformer, decoded: report.decode, machine: machine, tokens: tokens) }
        report.peakResidentMB = Double(ProcessMemory.peakResidentBytes) / 1_048_576
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
            let start = Date()
            for _ in 0..<steps {
                let next = TokenID(logits.argmax)
                logits = try session.decode(next)
            }
            let seconds = Date().timeIntervalSince(start)
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
                fractionOfReadBandwidth: gigabytesPerSecond / machine.readGBps, residentMB: resident,
                sessionMB: Double(session.byteCount) / 1_048_576))
        }
        return rows
    }

    /// Decode rates of each storage of `--compare-weights` beside the first model's, as ratios
    /// to this run's read bandwidth and to the fp32 rate at the same context.
    private func compareStorages(first: TransformerModel, firstDecode: [BenchmarkReport.Decode], machine: MachineProbe,
                                 tokens: (Int) -> [TokenID]) throws -> [BenchmarkReport.StorageDecode] {
        guard !compareWeights.isEmpty else { return [] }
        var measured: [(WeightStorage, Int, Double, [BenchmarkReport.Decode])] = [
            (first.weights.storage, first.weights.byteCount, Double(ProcessMemory.residentBytes), firstDecode)]
        for storage in compareWeights where !measured.contains(where: { $0.0 == storage }) {
            let model = try modelOptions.load(weights: storage).transformer
            let resident = Double(ProcessMemory.residentBytes)
            measured.append((storage, model.weights.byteCount, resident, try decodeRows(model, machine: machine, tokens: tokens)))
        }
        let reference = measured.first { $0.0 == .f32 }?.3
        return measured.flatMap { storage, bytes, resident, rows in
            rows.map { row in
                let f32 = reference?.first { $0.context == row.context }?.tokensPerSecond
                return BenchmarkReport.StorageDecode(
                    storage: storage.rawValue, weightMB: Double(bytes) / 1_048_576, residentAfterLoadMB: resident / 1_048_576,
                    context: row.context, tokensPerSecond: row.tokensPerSecond,
                    fractionOfReadBandwidth: row.fractionOfReadBandwidth,
                    ratioToF32: f32.map { row.tokensPerSecond / $0 })
            }
        }
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
