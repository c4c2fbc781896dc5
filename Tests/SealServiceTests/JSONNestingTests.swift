import Foundation
import SealAPI
import Testing

/// Deeply nested request bodies: refused up front in linear time, with a message
/// naming the limit; free-form values decode each subtree once.
@Suite("Deeply nested JSON bodies")
struct JSONNestingTests {
    /// `depth` nested objects holding `leaf`.
    static func objects(_ depth: Int, leaf: String = "1", padding: Int = 0) -> String {
        let pad = padding > 0 ? "\"pad\":\"" + String(repeating: "p", count: padding) + "\"," : ""
        return String(repeating: "{\(pad)\"n\":", count: depth) + leaf + String(repeating: "}", count: depth)
    }

    /// A generate request whose `context_extension.parameters.factor` is `value` (3 levels above it).
    static func generateBody(factor value: String) -> Data {
        Data(#"{"prompt":"hi","max_tokens":1,"context_extension":{"plugin":"linear","parameters":{"factor":\#(value)}}}"#.utf8)
    }

    static func expectRefusedForDepth(_ body: Data) {
        do {
            _ = try APIJSON.decode(GenerateRequest.self, from: body)
            Issue.record("a body nested beyond \(APIJSON.maximumDepth) levels was accepted")
        } catch {
            #expect(error.message == "the body nests arrays and objects deeper than the limit of 64 levels")
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func a490LevelBodyOf73KBIsRefusedNamingTheLimit() {
        let body = Self.generateBody(factor: Self.objects(487, padding: 135))
        #expect((70_000...80_000).contains(body.count))
        Self.expectRefusedForDepth(body)
    }

    @Test(.timeLimit(.minutes(1)))
    func a600KBBodyOfDeepBranchesIsRefusedNamingTheLimit() {
        let branches = Array(repeating: Self.objects(480), count: 210).joined(separator: ",")
        let body = Self.generateBody(factor: "[" + branches + "]")
        #expect(body.count > 590_000)
        Self.expectRefusedForDepth(body)
    }

    @Test func nestingUpToTheLimitIsAcceptedAndOneMoreLevelIsNot() throws {
        // The body, context_extension and parameters are three levels.
        let deepest = try APIJSON.decode(GenerateRequest.self, from: Self.generateBody(factor: Self.objects(61)))
        var value = try #require(deepest.contextExtension?.parameters["factor"])
        var levels = 0
        while case .object(let fields) = value, let inner = fields["n"] {
            levels += 1
            value = inner
        }
        #expect(levels == 61 && value == .number(1))
        Self.expectRefusedForDepth(Self.generateBody(factor: Self.objects(62)))
    }

    @Test func bracketsInsideStringsDoNotCount() throws {
        let brackets = String(repeating: "[{", count: 200) + #"\"\\"#
        let decoded = try APIJSON.decode(GenerateRequest.self, from: Self.generateBody(factor: "\"\(brackets)\""))
        #expect(decoded.contextExtension?.parameters["factor"] == .string(String(repeating: "[{", count: 200) + "\"\\"))
        #expect(JSONNesting.depth(of: Data(#"{"a":"]]]]","b":[[1]]}"#.utf8), stoppingAbove: 64) == 3)
    }

    /// Decoded directly, without the depth check: each subtree is decoded once, so
    /// 100 arrays nested 490 deep (about 100 KB) take well under a second. A decoder
    /// that tries a nested decode and falls back took minutes.
    @Test(.timeLimit(.minutes(1)))
    func freeFormValuesDecodeEachSubtreeOnce() throws {
        let chain = String(repeating: "[", count: 490) + "true" + String(repeating: "]", count: 490)
        let text = "[" + Array(repeating: chain, count: 100).joined(separator: ",") + "]"
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        guard case .array(let branches) = value else { Issue.record("not an array"); return }
        #expect(branches.count == 100)
    }

    @Test func freeFormKeysKeepTheirSpelling() throws {
        let body = Self.generateBody(factor: #"{"max_factor":2,"nested_list":[{"a_b":null,"c":"d"}],"flag":false}"#)
        let decoded = try APIJSON.decode(GenerateRequest.self, from: body)
        #expect(decoded.contextExtension?.parameters["factor"] == .object([
            "max_factor": .number(2), "nested_list": .array([.object(["a_b": .null, "c": .string("d")])]), "flag": .bool(false),
        ]))
    }
}
