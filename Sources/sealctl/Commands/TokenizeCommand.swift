import ArgumentParser
import SealAPI
import SealClient

struct TokenizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Show how the loaded model's tokenizer splits a text.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The text to tokenize.")
    var text: String

    @Flag(name: .customLong("no-special"), help: "Do not add the model's special tokens (such as BOS).")
    var noSpecial = false

    @Flag(name: .customLong("parse-special"), help: "Read special-token markup in TEXT (such as <|im_start|>) as special tokens.")
    var parseSpecial = false

    func run() async throws {
        let request = TokenizeRequest(text: text, addSpecialTokens: noSpecial ? false : nil, parseSpecialTokens: parseSpecial ? true : nil)
        guard let result = try await global.fetch(Endpoints.tokenize(request)) else { return }
        var table = Table("#", "ID", "PIECE", alignments: [.right, .right, .left])
        for (index, token) in result.tokens.enumerated() {
            let piece = index < result.pieces.count ? result.pieces[index] : ""
            table.add("\(index)", "\(token)", Self.quoted(piece))
        }
        table.print(empty: "no tokens")
        out("\(result.count) token\(result.count == 1 ? "" : "s")")
    }

    /// The piece in quotes with whitespace and control characters made visible.
    static func quoted(_ piece: String) -> String {
        var result = "\""
        for scalar in piece.unicodeScalars {
            switch scalar {
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    result += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
