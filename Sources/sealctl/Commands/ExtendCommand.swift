import ArgumentParser
import SealAPI
import SealClient

struct ExtendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extend",
        abstract: "Plan context extension: which method parameters reach a context length.",
        subcommands: [Plan.self],
        defaultSubcommand: Plan.self)

    struct Plan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "plan",
            abstract: "For the loaded model, each method's parameters reaching --target, and Self-Extend group/window choices.")

        @OptionGroup var global: GlobalOptions

        @Option(help: ArgumentHelp("Context length to reach, in tokens.", valueName: "tokens"))
        var target: Int

        func validate() throws {
            guard target >= 1 else { throw ValidationError("--target must be at least 1") }
        }

        func run() async throws {
            guard let plan = try await global.fetch(Endpoints.extensionPlan(target: target)) else { return }
            out("\(plan.model): trained context \(plan.trainedContext), target \(plan.target)")
            out("")
            var methods = Table("METHOD", "REACH", "OPTIONS")
            for method in plan.methods {
                methods.add(method.plugin, "\(method.effectiveContext)", method.command)
            }
            methods.print(empty: "no loaded context-extension plugin reaches \(plan.target)")
            guard !plan.selfExtend.isEmpty else { return }
            out("")
            out("Self-Extend: reach (L - W) * G + W; largest position W + (target - W) / G, best kept under 2/3 L")
            var table = Table("G", "W", "REACH", "LARGEST POSITION", "RULE OF THUMB")
            for row in plan.selfExtend {
                table.add("\(row.group)", "\(row.window)", "\(row.effectiveContext)", "\(row.largestPosition)",
                          row.withinRuleOfThumb ? "yes" : "no")
            }
            table.print(empty: "")
        }
    }
}
