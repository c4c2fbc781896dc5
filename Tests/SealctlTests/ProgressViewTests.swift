import Foundation
import SealAPI
import Testing
@testable import sealctl

/// The job progress lines: counts and a percentage once the job knows its total, none before
/// (a job that is starting reports 0 of 0, which is not 0% of anything).
@Suite("Job progress lines")
struct ProgressViewTests {
    static func job(completed: Int, total: Int, message: String) -> Job {
        Job(id: "job-1", kind: .tune, name: nil, state: .running, createdAt: Date(timeIntervalSince1970: 0),
            progress: JobProgress(completed: completed, total: total, message: message),
            request: CreateJobRequest(kind: .tune))
    }

    @Test func aJobWithoutATotalShowsNoCounts() {
        let job = Self.job(completed: 0, total: 0, message: "starting")
        #expect(ProgressView.plain(job, eta: nil) == "job-1 running starting")
        #expect(ProgressView.bar(job, width: 10, eta: nil) == "[----------]  ETA --  starting")
    }

    @Test func aJobWithATotalShowsCountsAndPercent() {
        let job = Self.job(completed: 9, total: 20, message: "step 9/20")
        #expect(ProgressView.plain(job, eta: 72) == "job-1 running 9/20 (45%) ETA 1m12s step 9/20")
        #expect(ProgressView.bar(job, width: 10, eta: 72) == "[####------]  45% 9/20  ETA 1m12s  step 9/20")
    }
}
