import Foundation
@testable import SealService
import Testing

/// A job request is refused before it is queued when it carries another kind's parameter
/// object or asks a tune job for samples longer than a task can make.
@Suite("Job request validation (in process, tiny model)")
struct JobRequestTests {
    static let grid = #"{"task":"passkey","lengths":[16],"depths":[0],"samples_per_cell":1}"#

    /// Each kind's guard listed the others by hand, and they had drifted: a stray object was ignored.
    @Test func aStrayParameterObjectOfAnotherKindIsRefused() async throws {
        let harness = try await InProcessService.start()
        defer { harness.remove() }
        for body in [#"{"kind":"eval","eval":{"dataset":"ds-0000000000"},"grid":\#(Self.grid)}"#,
                     #"{"kind":"dataset","dataset":{"task":"passkey","samples":1,"target_tokens":64},"grid":\#(Self.grid)}"#,
                     #"{"kind":"grid","grid":\#(Self.grid),"tune":{"task":"passkey","target_tokens":64}}"#,
                     #"{"kind":"tune","tune":{"task":"passkey","target_tokens":64},"grid":\#(Self.grid)}"#] {
            let reply = await harness.post("/api/jobs", body)
            #expect(reply.status == 400, "\(body): \(reply.body)")
            #expect(reply.body.contains("no other kind's parameter object"), "\(reply.body)")
        }
    }

    /// Dataset jobs refused target_tokens beyond the plugin maximum up front; tune jobs queued
    /// them and failed later.
    @Test func tuneSamplesHaveTheDatasetBounds() async throws {
        let harness = try await InProcessService.start()
        defer { harness.remove() }
        for (tune, field) in [(#"{"task":"passkey","target_tokens":99999999}"#, "tune.target_tokens"),
                              (#"{"task":"passkey","target_tokens":8}"#, "tune.target_tokens"),
                              (#"{"task":"passkey","target_tokens":64,"samples":0}"#, "tune.samples")] {
            let reply = await harness.post("/api/jobs", #"{"kind":"tune","tune":\#(tune)}"#)
            #expect(reply.status == 400, "\(tune): \(reply.body)")
            #expect(reply.body.contains(field), "\(reply.body)")
        }
    }

    /// Each field within its bounds is not enough: the prompts a job generates are held in
    /// memory and written as one file, so their total is bounded too.
    @Test func theTotalOfGeneratedPromptsIsBounded() async throws {
        let harness = try await InProcessService.start()
        defer { harness.remove() }
        for (body, field) in [
            (#"{"kind":"dataset","dataset":{"task":"passkey","samples":10000,"target_tokens":4194304}}"#, "dataset.samples × target_tokens"),
            (#"{"kind":"tune","tune":{"task":"passkey","samples":100,"target_tokens":4194304}}"#, "tune.samples × target_tokens"),
            (#"{"kind":"heads","heads":{"task":"passkey","lengths":[1000000,4000000],"samples":256}}"#, "heads.samples × (both lengths)"),
        ] {
            let reply = await harness.post("/api/jobs", body)
            #expect(reply.status == 400, "\(body): \(reply.body)")
            #expect(reply.body.contains(field), "\(reply.body)")
        }
    }
}
