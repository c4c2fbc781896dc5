import ArgumentParser
import Foundation
import SealClient

/// sealctl's own failures, beside the client's `ClientError` and ArgumentParser's usage errors.
enum SealctlError: Error, CustomStringConvertible {
    /// A value given on the command line (or in a file it names) that cannot be used.
    case usage(String)
    /// A local file that cannot be read or written.
    case file(String)
    /// Something named on the command line that the daemon does not have (found out client-side).
    case notFound(String)
    /// A followed job ended in `failed`.
    case jobFailed(id: String, message: String)
    /// A followed job ended in `cancelled`.
    case jobCancelled(id: String)

    var description: String {
        switch self {
        case .usage(let message), .file(let message), .notFound(let message): message
        case .jobFailed(let id, let message): "job \(id) failed: \(message)"
        case .jobCancelled(let id): "job \(id) was cancelled"
        }
    }
}

/// What sealctl prints and the exit code it returns for an error, following `sysexits.h`
/// (documented in `sealctl --help`).
struct Failure {
    static let usage: Int32 = 64
    static let refused: Int32 = 65
    static let unavailable: Int32 = 69
    static let software: Int32 = 70
    static let ioError: Int32 = 74
    static let interrupted: Int32 = 75
    static let permission: Int32 = 77

    var message: String?
    var exitCode: Int32

    /// nil for ArgumentParser's own errors (usage, help, `ExitCode`), which it reports itself.
    init?(_ error: any Error) {
        switch error {
        case let error as ClientError:
            message = error.description
            exitCode = Self.exitCode(for: error)
        case let error as SealctlError:
            message = error.description
            switch error {
            case .usage: exitCode = Self.usage
            case .file: exitCode = Self.ioError
            case .notFound: exitCode = Self.refused
            case .jobFailed: exitCode = Self.software
            case .jobCancelled: exitCode = Self.interrupted
            }
        case is CancellationError:
            message = "interrupted"
            exitCode = Self.interrupted
        default:
            return nil
        }
    }

    static func exitCode(for error: ClientError) -> Int32 {
        switch error {
        case .daemonNotRunning, .connectionFailed: unavailable
        case .permissionDenied: permission
        case .server(let status, _, _): (400..<500).contains(status) ? refused : software
        case .protocolError: software
        case .timeout: interrupted
        }
    }

    func report() {
        guard let message else { return }
        Terminal.standardError.write("sealctl: \(message)\n")
    }
}
