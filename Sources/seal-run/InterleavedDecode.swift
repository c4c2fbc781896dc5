import Foundation
import SealModel
import SealTensor
import SealTokenizer

/// One decode session made ready at one `--decode-context`: prefilled, its first token's logits
/// at hand, timed later by ``Benchmark/timeInterleaved(_:)`` in rounds shared with the other
/// sessions of the run.
///
/// Why rounds: this host's memory bandwidth moves in phases of seconds to minutes (the same read
/// probe gave 26 and 55 GB/s within an hour). Timed one after the other, two storages or cache
/// types could fall in different phases, and their ratio measured the host, not the engine
/// (bf16 at 1.38x fp32 in one run, 2.32x in the next). Interleaved in short rounds, every session
/// sees the same mix of phases.
final class DecodeRun {
    let transformer: TransformerModel
    let cache: KVCacheStorage
    let session: InferenceSession
    let prefillLength: Int
    var logits: Logits
    /// Reads of this model's weights (GB/s), one before each round and one after the last.
    private(set) var reads: [Double] = []
    /// Steps and seconds of each round, in order.
    private var rounds: [(steps: Int, seconds: Double)] = []
    /// Process memory after this session was made, less the sessions made before it.
    let residentMB: Double
    /// The byte ranges a decode step streams: this model's stored weights.
    private let weights: [UnsafeRawBufferPointer]

    var steps: Int { rounds.reduce(0) { $0 + $1.steps } }
    var seconds: Double { rounds.reduce(0) { $0 + $1.seconds } }

    init(transformer: TransformerModel, cache: KVCacheStorage, session: InferenceSession, prefillLength: Int,
         logits: Logits, residentMB: Double) {
        self.transformer = transformer
        self.cache = cache
        self.session = session
        self.prefillLength = prefillLength
        self.logits = logits
        self.residentMB = residentMB
        weights = transformer.weights.matrices.flatMap(\.storedBytes)
    }

    /// Reads this model's weights once, as the decode step streams them.
    func probeRead() {
        reads.append(ReadProbe.gigabytesPerSecond(reading: weights, threads: MachineProbe.threads))
    }

    /// `count` greedy decode steps, timed as one round.
    func step(_ count: Int) throws {
        let start = Date()
        for _ in 0..<count {
            logits = try session.decode(TokenID(logits.argmax))
        }
        rounds.append((count, Date().timeIntervalSince(start)))
    }

    /// The read bandwidth the steps are judged against: each round's steps at the mean of the reads
    /// just before and after it, over all rounds (bytes over the seconds they would take at those
    /// rates). The bandwidth moves between rounds; the best single read would judge every round
    /// by the fastest moment of the run.
    var roundReadGBps: Double {
        // A step reads about the same bytes in every round, so this is the steps' harmonic mean.
        var counted = 0.0, inverse = 0.0
        for (index, round) in rounds.enumerated() where index + 1 < reads.count {
            let read = (reads[index] + reads[index + 1]) / 2
            guard read > 0 else { continue }
            counted += Double(round.steps)
            inverse += Double(round.steps) / read
        }
        return inverse > 0 ? counted / inverse : 0
    }

    /// The row this session's timed steps make, against the run's copy bandwidth and its own reads.
    func row(copyGBps: Double) -> BenchmarkReport.Decode {
        let c = transformer.configuration
        let steps = self.steps, seconds = self.seconds
        let averageContext = Double(prefillLength) + Double(steps) / 2
        let bytes = FlopModel(configuration: c).decodeBytes(context: averageContext,
                                                            bytesPerWeight: transformer.weights.storage.bytesPerWeight,
                                                            bytesPerCacheValue: Double(cache.bytesPerValue))
        let rate = seconds > 0 ? Double(steps) / seconds : 0
        let gigabytesPerSecond = bytes * rate / 1e9
        let read = roundReadGBps, best = reads.max() ?? 0
        return BenchmarkReport.Decode(
            context: prefillLength, steps: steps, tokensPerSecond: rate, bytesPerToken: bytes,
            fractionOfCopyBandwidth: gigabytesPerSecond / copyGBps,
            fractionOfReadBandwidth: read > 0 ? gigabytesPerSecond / read : 0, readGBps: read,
            fractionOfBestRead: best > 0 ? gigabytesPerSecond / best : 0, bestReadGBps: best,
            residentMB: residentMB, sessionMB: Double(session.byteCount) / 1_048_576)
    }
}

extension Benchmark {
    /// Rounds the timed steps are split into (each session's `--decode-steps` spread over them).
    static let decodeRounds = 4

    /// A prefilled session for each `--decode-context` that fits the window with the timed steps.
    /// `heldBytes` are the bytes of sessions made before and still held, left out of `residentMB`.
    func prepareDecode(_ transformer: TransformerModel, cache: KVCacheStorage, tokens: (Int) -> [TokenID],
                       heldBytes: Int = 0) throws -> [DecodeRun] {
        let window = transformer.configuration.trainedContextLength
        var runs: [DecodeRun] = []
        for context in decodeContext {
            let prefillLength = min(context, window - decodeSteps)
            guard prefillLength > 0 else { continue }
            let session = try InferenceSession(model: transformer, capacity: prefillLength + decodeSteps,
                                               blockSize: blockSize, keyValueCache: cache)
            let logits = try session.append(tokens(prefillLength))
            PeakMemory.returnFreedMemory()  // prefill's freed scratch is not this session's memory
            let held = heldBytes + runs.reduce(0) { $0 + $1.session.byteCount }
            runs.append(DecodeRun(transformer: transformer, cache: cache, session: session, prefillLength: prefillLength,
                                  logits: logits, residentMB: Double(ProcessMemory.residentBytes - held) / 1_048_576))
        }
        return runs
    }

    /// Times every run's `--decode-steps` in ``decodeRounds`` rounds; each round visits every run
    /// once, starting one further along than the round before, and reads the run's weights just
    /// before its steps (and once more after the last round).
    func timeInterleaved(_ runs: [DecodeRun]) throws {
        guard !runs.isEmpty else { return }
        let rounds = max(1, min(Self.decodeRounds, decodeSteps))
        for round in 0..<rounds {
            let steps = decodeSteps / rounds + (round < decodeSteps % rounds ? 1 : 0)
            for offset in 0..<runs.count {
                let run = runs[(round + offset) % runs.count]
                run.probeRead()
                try run.step(steps)
            }
        }
        for run in runs { run.probeRead() }
    }
}
