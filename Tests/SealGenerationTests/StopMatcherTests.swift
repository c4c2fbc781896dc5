import SealGeneration
import Testing

@Suite("Stop strings")
struct StopMatcherTests {
    func run(_ pieces: [String], stops: [String]) -> (emitted: String, stopped: Bool) {
        var matcher = StopMatcher(stops: stops)
        var out = ""
        for piece in pieces {
            switch matcher.feed(piece) {
            case .emit(let text): out += text
            case .stop(let text): return (out + text, true)
            }
        }
        return (out + matcher.finish(), false)
    }

    @Test func stopStringSplitAcrossPiecesIsNeverEmitted() {
        let result = run(["Hello", " wor", "ld\nUs", "er: hi"], stops: ["\nUser:"])
        #expect(result == ("Hello world", true))
    }

    @Test func heldBackTextIsReleasedWhenItTurnsOutHarmless() {
        var matcher = StopMatcher(stops: ["END"])
        #expect(matcher.feed("abcE") == .emit("abc"))
        #expect(matcher.feed("Nx") == .emit("ENx"))
    }

    @Test func earliestOfSeveralStopsWins() {
        #expect(run(["a STOP b END"], stops: ["END", "STOP"]) == ("a ", true))
    }

    @Test func noStopsPassesEverythingThrough() {
        #expect(run(["a", "b"], stops: []) == ("ab", false))
    }
}
