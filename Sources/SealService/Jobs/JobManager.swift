import Foundation
import Logging
import SealAPI

/// Runs long work (dataset generation, evaluation) in the background, one
/// job at a time by default, with progress that clients can follow and
/// records that survive restarts.
///
/// Jobs never take generation slots, so interactive requests keep being
/// served while a job runs; a job found `running` at start-up (the daemon was
/// killed) is marked `interrupted` and resumed from its checkpoint.
public actor JobManager {
    let store: StateStore
    let runner: JobRunner
    let logger: Logger
    let maxConcurrent: Int
    private var running: [String: CancellationFlag] = [:]
    private var followers: [String: [UUID: AsyncStream<Job>.Continuation]] = [:]
    private var pending: [String] = []
    private var statusReporter: (@Sendable (String) -> Void)?
    /// Set by ``stopForShutdown()``: nothing more is started or recorded.
    private var stopping = false

    init(store: StateStore, runner: JobRunner, maxConcurrent: Int, logger: Logger) {
        self.store = store
        self.runner = runner
        self.maxConcurrent = max(1, maxConcurrent)
        self.logger = logger
    }

    func setStatusReporter(_ reporter: @escaping @Sendable (String) -> Void) {
        statusReporter = reporter
    }

    /// Re-queues jobs a previous daemon left queued or running.
    func resumeUnfinished() async {
        for var job in await store.listJobs() where job.state == .running || job.state == .queued || job.state == .interrupted {
            if job.state == .running {
                job.state = .interrupted
                job.progress.message = "interrupted by a daemon restart; resuming"
                try? await store.saveJob(job)
            }
            if job.state == .interrupted { logger.notice("resuming interrupted job", metadata: ["job": "\(job.id)"]) }
            pending.append(job.id)
        }
        schedule()
    }

    /// Stops for a daemon shutdown without waiting for running jobs (a tuning step or an
    /// evaluation sample can take minutes): their records say `interrupted`, their checkpoints
    /// stay, followers' event streams end, and nothing more is started or recorded, so the
    /// process may exit at once and the next start resumes each job from its checkpoint.
    /// Returns how many running jobs were interrupted.
    package func stopForShutdown() async -> Int {
        stopping = true
        let interrupted = Array(running.keys)
        for id in interrupted {
            guard var job = try? await store.job(id), !job.state.isFinished else { continue }
            job.state = .interrupted
            job.progress.message = "interrupted by a daemon stop; resumes from its checkpoint at the next start"
            try? await store.saveJob(job)
        }
        for continuations in followers.values {
            for continuation in continuations.values { continuation.finish() }
        }
        followers = [:]
        return interrupted.count
    }

    /// Validates and queues a job.
    package func create(_ request: CreateJobRequest) async throws -> Job {
        try await runner.validate(request)
        let job = Job(id: StateStore.makeID(prefix: StateStore.jobPrefix), kind: request.kind, name: request.name, state: .queued,
                      createdAt: Date(), progress: JobProgress(completed: 0, total: runner.total(of: request), message: "queued"),
                      request: request)
        try await store.saveJob(job)
        pending.append(job.id)
        schedule()
        return job
    }

    package func cancel(_ id: String) async throws -> Job {
        var job = try await store.job(id)
        guard !job.state.isFinished else {
            throw ServiceError.conflict("job '\(id)' already \(job.state.rawValue)")
        }
        if let flag = running[id] {
            flag.cancel()  // the runner notices between samples and records `cancelled`
            return job
        }
        pending.removeAll { $0 == id }
        job.state = .cancelled
        job.finishedAt = Date()
        job.progress.message = "cancelled before it started"
        try await store.saveJob(job)
        publish(job)
        return job
    }

    /// Job records as they change, ending after the job finishes.
    package func follow(_ id: String) async throws -> AsyncStream<Job> {
        let job = try await store.job(id)
        let token = UUID()
        let (stream, continuation) = AsyncStream<Job>.makeStream(bufferingPolicy: .bufferingNewest(8))
        continuation.yield(job)
        if job.state.isFinished {
            continuation.finish()
        } else {
            followers[id, default: [:]][token] = continuation
            continuation.onTermination = { [weak self] _ in
                Task { await self?.unfollow(id, token) }
            }
        }
        return stream
    }

    private func unfollow(_ id: String, _ token: UUID) {
        followers[id]?[token] = nil
    }

    var counts: (running: Int, queued: Int) { (running.count, pending.count) }

    /// Records a job update and tells followers.
    func update(_ job: Job) async {
        guard !stopping else { return }
        do { try await store.saveJob(job) } catch {
            logger.error("cannot save job record", metadata: ["job": "\(job.id)", "error": "\(error)"])
        }
        publish(job)
    }

    private func publish(_ job: Job) {
        for continuation in followers[job.id, default: [:]].values {
            continuation.yield(job)
            if job.state.isFinished { continuation.finish() }
        }
        if job.state.isFinished { followers[job.id] = nil }
    }

    private func schedule() {
        while !stopping, running.count < maxConcurrent, !pending.isEmpty {
            let id = pending.removeFirst()
            let flag = CancellationFlag()
            running[id] = flag
            Task {
                await self.execute(id, flag: flag)
            }
        }
    }

    private func execute(_ id: String, flag: CancellationFlag) async {
        defer {
            running[id] = nil
            schedule()
        }
        guard var job = try? await store.job(id) else { return }
        job.state = .running
        job.startedAt = job.startedAt ?? Date()
        job.progress.message = "starting"
        await update(job)
        // Progress goes through one ordered stream that is drained before the final record is
        // written: a progress update still in flight would otherwise overwrite it with `running`.
        let (updates, continuation) = AsyncStream<JobProgress>.makeStream(bufferingPolicy: .bufferingNewest(64))
        let consumer = Task { for await progress in updates { await self.progressed(id, progress) } }
        let outcome = await runner.run(job, cancellation: flag) { progress in continuation.yield(progress) }
        continuation.finish()
        await consumer.value
        guard var finished = try? await store.job(id) else { return }
        finished.finishedAt = Date()
        switch outcome {
        case .succeeded(let artifacts, let summary):
            finished.state = .succeeded
            finished.artifacts = artifacts
            finished.summary = summary
            finished.progress.completed = finished.progress.total
            finished.progress.message = summary
        case .cancelled:
            finished.state = .cancelled
            finished.progress.message = "cancelled"
        case .failed(let message):
            finished.state = .failed
            finished.error = message
            finished.progress.message = "failed"
            logger.error("job failed", metadata: ["job": "\(id)", "error": "\(message)"])
        }
        guard !stopping else { return }  // the checkpoint stays for the next start
        await store.removeCheckpoint(job: id)
        await update(finished)
        statusReporter?("ready: \(finished.kind.rawValue) job \(id) \(finished.state.rawValue)")
    }

    private func progressed(_ id: String, _ progress: JobProgress) async {
        guard var job = try? await store.job(id), job.state == .running else { return }
        job.progress = progress
        await update(job)
        statusReporter?("\(job.kind.rawValue) job \(id): \(progress.message)")
    }
}

enum JobOutcome: Sendable {
    case succeeded(artifacts: [String], summary: String)
    case cancelled
    case failed(String)
}
