import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Unbuffered output to a file descriptor: streamed tokens and progress redraws must reach the
/// terminal as soon as they are written, and stdout and stderr must not reorder.
struct Terminal: Sendable {
    static let standardOutput = Terminal(descriptor: 1)
    static let standardError = Terminal(descriptor: 2)

    let descriptor: Int32

    /// Whether a person is watching (progress bars, prompts) rather than a pipe or a file.
    var isTTY: Bool { isatty(descriptor) == 1 }

    /// Columns of the terminal, 80 when unknown.
    var width: Int {
        var size = winsize()
        if ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }

    func write(_ text: String) {
        write(Array(text.utf8))
    }

    func write(_ data: Data) {
        write([UInt8](data))
    }

    func write(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in
                systemWrite(descriptor, raw.baseAddress.map { $0 + offset }, bytes.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                return  // a closed pipe: nothing useful left to do with output
            }
            offset += written
        }
    }

    /// Writes `text` followed by a newline unless it already ends with one.
    func line(_ text: String) {
        write(text.hasSuffix("\n") ? text : text + "\n")
    }
}

private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(fd, bytes, count)
    #else
    Darwin.write(fd, bytes, count)
    #endif
}

/// Shorthands for the common case.
func out(_ text: String) { Terminal.standardOutput.line(text) }
func warn(_ text: String) { Terminal.standardError.line("sealctl: \(text)") }
