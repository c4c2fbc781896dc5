import Foundation
import SealModel
import SealPlugins
import SealTokenizer

/// `seal-run bench --extension NAME --length N`: a context-extension method against plain
/// attention at the same length, in the same process, as ratios.
///
/// "Plain attention" keeps the model's RoPE untouched and only lifts the window to N (the
/// output past the trained window is meaningless, the cost is what is measured). The method
/// runs first so that the peak resident memory after its phase is its own (the peak only grows).
///
/// Each phase is timed twice: wall clock, and the process's CPU time. With one OpenBLAS thread
/// the CPU time is the work itself, so its ratio holds on a machine shared with other jobs,
/// where the wall-clock ratio of two phases run minutes apart mostly measures the neighbours.
struct ExtensionBenchmark {
    struct Phase: Codable {
        var method: String
        var prefillSeconds: Double
        var prefillTokensPerSecond: Double
        var decodeTokensPerSecond: Double
        /// CPU seconds the process spent (all threads) in prefill and in the decode steps.
        var prefillCPUSeconds: Double
        var decodeCPUSeconds: Double
        var sessionMB: Double
        var residentAfterMB: Double
        var peakResidentAfterMB: Double
    }

    struct Report: Codable {
        var model: String
        var length: Int
        var decodeSteps: Int
        var method: Phase
        var plain: Phase
        /// method time / plain time: above 1 means the method is slower.
        var prefillCostRatio: Double
        var decodeCostRatio: Double
        /// The same ratios in CPU time.
        var prefillCPURatio: Double
        var decodeCPURatio: Double

        var table: String {
            var lines = ["model: \(model); \(length) tokens, then \(decodeSteps) decode steps", ""]
            lines.append("method                                    prefill s   prefill CPU s   prefill tok/s   decode tok/s   decode CPU s   session MB   RSS MB   peak RSS MB")
            for p in [method, plain] {
                lines.append(String(format: "%-40@   %9.1f   %13.1f   %13.1f   %12.2f   %12.2f   %10.0f   %6.0f   %11.0f", p.method as NSString,
                                    p.prefillSeconds, p.prefillCPUSeconds, p.prefillTokensPerSecond, p.decodeTokensPerSecond,
                                    p.decodeCPUSeconds, p.sessionMB, p.residentAfterMB, p.peakResidentAfterMB))
            }
            lines.append("")
            lines.append(String(format: "cost vs plain attention, wall clock: prefill %.3fx, decode %.3fx", prefillCostRatio, decodeCostRatio))
            lines.append(String(format: "cost vs plain attention, CPU time:   prefill %.3fx, decode %.3fx", prefillCPURatio, decodeCPURatio))
            return lines.joined(separator: "\n")
        }
    }

    /// Plain RoPE whose window is lifted to `length` (cost baseline only).
    struct LiftedRoPE: PositionEncoding {
        let length: Int
        var name: String { "plain attention (window lifted)" }
        func plan(for rope: RoPEParameters, sequenceLength: Int) throws(SealModelError) -> PositionEncodingPlan {
            PositionEncodingPlan(inverseFrequencies: rope.baseInverseFrequencies)
        }
        func effectiveContextLength(for rope: RoPEParameters) -> Int { max(length, rope.trainedContextLength) }
    }

    let transformer: TransformerModel
    let length: Int
    let steps: Int
    let blockSize: Int

    func run(_ encoding: any PositionEncoding) throws -> Phase {
        let c = transformer.configuration
        var random = SystemRandomNumberGenerator()
        let prompt = (0..<length).map { _ in TokenID.random(in: 100..<TokenID(c.vocabularySize), using: &random) }
        let session = try InferenceSession(model: transformer, capacity: length + steps, positionEncoding: encoding,
                                           blockSize: blockSize)
        let start = Date(), cpuStart = Self.cpuSeconds()
        var logits = try session.append(prompt)
        let prefill = Date().timeIntervalSince(start), prefillCPU = Self.cpuSeconds() - cpuStart
        let decodeStart = Date(), decodeCPUStart = Self.cpuSeconds()
        for _ in 0..<steps { logits = try session.decode(TokenID(logits.argmax)) }
        let decode = Date().timeIntervalSince(decodeStart), decodeCPU = Self.cpuSeconds() - decodeCPUStart
        return Phase(method: encoding.name, prefillSeconds: prefill, prefillTokensPerSecond: Double(length) / prefill,
                     decodeTokensPerSecond: Double(steps) / decode, prefillCPUSeconds: prefillCPU, decodeCPUSeconds: decodeCPU,
                     sessionMB: Double(session.byteCount) / 1_048_576,
                     residentAfterMB: Double(ProcessMemory.residentBytes) / 1_048_576,
                     peakResidentAfterMB: Double(ProcessMemory.peakResidentBytes) / 1_048_576)
    }

    func compare(_ encoding: any PositionEncoding) throws -> Report {
        let method = try run(encoding)
        let plain = try run(LiftedRoPE(length: length + steps))
        return Report(model: transformer.source, length: length, decodeSteps: steps, method: method, plain: plain,
                      prefillCostRatio: method.prefillSeconds / plain.prefillSeconds,
                      decodeCostRatio: plain.decodeTokensPerSecond / method.decodeTokensPerSecond,
                      prefillCPURatio: method.prefillCPUSeconds / plain.prefillCPUSeconds,
                      decodeCPURatio: method.decodeCPUSeconds / plain.decodeCPUSeconds)
    }

    /// CPU time of the whole process so far (every thread), in seconds.
    static func cpuSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }

    /// The plugin from `directory` (default: next to this executable, where the package builds them).
    static func encoding(named name: String, pairs: [String], directory: String?, length: Int) throws -> any PositionEncoding {
        let folder = directory.map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        var parameters: [String: PluginParameterValue] = [:]
        for pair in pairs {
            guard let equals = pair.firstIndex(of: "=") else { throw BenchmarkError("--extension-param takes name=value, got '\(pair)'") }
            let key = String(pair[..<equals]), text = String(pair[pair.index(after: equals)...])
            if let int = Int64(text) { parameters[key] = .int(int) }
            else if let number = Double(text) { parameters[key] = .float(number) }
            else if let bool = Bool(text) { parameters[key] = .bool(bool) }
            else { parameters[key] = .string(text) }
        }
        return try PluginRegistry(directories: [folder]).contextExtension(named: name)
            .positionEncoding(parameters: parameters, targetLength: length)
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
