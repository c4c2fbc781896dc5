import Foundation
import Testing
@testable import SealConfig

/// Every integer key has bounds, refused beyond them with the key, line and range named,
/// and `etc/seald.yaml` states the same range above the key.
@Suite("Configuration integer bounds")
struct IntegerBoundsTests {
    private static let shippedFile = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("etc/seald.yaml")

    /// `section.key: value` as a two-line document (the value on line 2).
    private func yaml(_ keyPath: String, _ value: String) -> String {
        let parts = keyPath.split(separator: ".")
        return "\(parts[0]):\n  \(parts[1]): \(value)\n"
    }

    private func parse(_ text: String) -> Result<SealdConfiguration, ConfigurationError> {
        do throws(ConfigurationError) {
            return .success(try SealdConfiguration.parse(yaml: text, source: "seald.yaml"))
        } catch {
            return .failure(error)
        }
    }

    @Test func theReportedOverflowIsRefusedNamingKeyLineAndRange() throws {
        let text = "# limits\nlimits:\n  request_timeout_seconds: 9223372036854775807\n"
        guard case .failure(let error) = parse(text) else {
            Issue.record("an overflowing timeout was accepted")
            return
        }
        #expect(error.line == 3)
        #expect(error.keyPath == "limits.request_timeout_seconds")
        #expect(error.description == "seald.yaml:3: limits.request_timeout_seconds: expected an integer in 1...86400 seconds, got 9223372036854775807")
    }

    @Test(arguments: SealdConfiguration.integerBounds.keys.sorted())
    func eachKeyAcceptsItsEndsAndRefusesBeyondThem(keyPath: String) throws {
        let bound = try #require(SealdConfiguration.integerBounds[keyPath])
        for accepted in [bound.range.lowerBound, bound.range.upperBound] {
            if case .failure(let error) = parse(yaml(keyPath, "\(accepted)")) {
                Issue.record("\(keyPath): \(accepted) refused: \(error)")
            }
        }
        let outside = [bound.range.lowerBound - 1, bound.range.upperBound + 1].map(String.init)
            + ["99999999999999999999", "1e3", "0x10"]
        for refused in outside {
            guard case .failure(let error) = parse(yaml(keyPath, refused)) else {
                Issue.record("\(keyPath): \(refused) accepted")
                continue
            }
            #expect(error.keyPath == keyPath)
            #expect(error.line == 2)
            #expect(error.description.contains(bound.text), "\(error)")
        }
    }

    @Test func theShippedFileStatesEveryRangeAboveItsKey() throws {
        let lines = try String(contentsOf: Self.shippedFile, encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (keyPath, bound) in SealdConfiguration.integerBounds {
            let parts = keyPath.split(separator: ".").map(String.init)
            let section = try #require(lines.firstIndex(of: "\(parts[0]):"), "no section \(parts[0])")
            let key = try #require(lines[section...].firstIndex { $0.hasPrefix("  \(parts[1]):") },
                                   "etc/seald.yaml does not document \(keyPath)")
            // The comment block directly above the key.
            var comments: [String] = []
            var index = key - 1
            while index > section, lines[index].trimmingCharacters(in: .whitespaces).hasPrefix("#") {
                comments.append(lines[index])
                index -= 1
            }
            #expect(comments.contains { $0.contains("Range: \(bound.text)") },
                    "etc/seald.yaml: the comment above \(keyPath) must say 'Range: \(bound.text)'")
        }
    }
}
