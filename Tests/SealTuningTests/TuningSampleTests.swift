import Testing
@testable import SealTuning

@Suite struct TuningSampleTests {
    @Test func errorMessagesNameTheProblem() {
        let error = SealTuningError(.invalidSample(reason: "the answer is empty"))
        #expect(error.description == "invalid tuning sample: the answer is empty")
    }
}
