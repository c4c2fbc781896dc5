import Foundation
import SealModel
import SealTensor
import SealTokenizer
import SealTuning

/// One SEAL training step (forward + backward to the head scales) against the inference
/// forward of the same sample, as a ratio in one run, with the memory it takes.
struct TrainStepBenchmark {
    struct Row: Codable {
        var tokens: Int
        var answerTokens: Int
        var forwardSeconds: Double
        var stepSeconds: Double
        /// Step time over forward time: the cost of a gradient in forward passes (one step
        /// against the faster of two forwards, so it leans high).
        var ratio: Double
        /// The same ratio in process CPU time, which a loaded shared machine disturbs less.
        var cpuRatio: Double
        /// Activation and gradient memory the engine held.
        var engineMB: Double
        /// Process peak resident memory after the step (weights included).
        var peakResidentMB: Double
    }

    let model: TransformerModel
    let answerTokens = 16

    func measure(lengths: [Int], tokens: (Int) -> [TokenID]) throws -> [Row] {
        var rows: [Row] = []
        for length in lengths {
            let sample = TuningSample(tokens: tokens(length), answerStart: length - answerTokens)
            // The forward runs before and after the step and the faster run counts, so a load
            // change on a shared machine during the step does not masquerade as a ratio. The
            // step runs once (with its engine's first allocation, as the forward's session), so
            // the ratio errs high: one step against the better of two forwards.
            // Attention tiles over the same workers as the engine's (and seald's), or the
            // forward would run single-threaded attention against a multi-threaded step.
            let forward = {
                try time {
                    let session = try InferenceSession(model: model, capacity: length, blockSize: 512,
                                                       attentionWorkers: BLAS.threadCount)
                    try session.append(sample.tokens)
                }
            }
            let forwardBefore = try forward()
            var engineBytes = 0
            let step = try time {
                let engine = try ScaleGradientEngine(model: model, capacity: length)
                _ = try engine.lossAndGradient(for: sample, scales: .identity(for: model.configuration))
                engineBytes = engine.byteCount
            }
            let forwardAfter = try forward()
            let forwardSeconds = min(forwardBefore.wall, forwardAfter.wall)
            let forwardCPU = min(forwardBefore.cpu, forwardAfter.cpu)
            let stepSeconds = step.wall
            rows.append(Row(tokens: length, answerTokens: answerTokens, forwardSeconds: forwardSeconds,
                            stepSeconds: stepSeconds, ratio: stepSeconds / forwardSeconds,
                            cpuRatio: step.cpu / forwardCPU,
                            engineMB: Double(engineBytes) / 1_048_576,
                            peakResidentMB: Double(ProcessMemory.peakResidentBytes) / 1_048_576))
        }
        return rows
    }

    /// Wall-clock and process CPU seconds of `body`.
    private func time(_ body: () throws -> Void) throws -> (wall: Double, cpu: Double) {
        let start = Date()
        let cpuStart = Self.processCPUSeconds()
        try body()
        return (Date().timeIntervalSince(start), Self.processCPUSeconds() - cpuStart)
    }

    private static func processCPUSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    static func table(_ rows: [Row]) -> String {
        var lines = ["train step (forward + backward to the scales) vs inference forward of the same sample",
                     "tokens   forward s   step s   step/forward   (CPU time)   engine MB   peak RSS MB"]
        for r in rows {
            lines.append(String(format: "%6d   %9.2f   %6.2f   %11.2fx   %9.2fx   %9.0f   %11.0f",
                                r.tokens, r.forwardSeconds, r.stepSeconds, r.ratio, r.cpuRatio, r.engineMB,
                                r.peakResidentMB))
        }
        return lines.joined(separator: "\n")
    }
}
