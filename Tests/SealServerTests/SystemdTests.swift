import Foundation
import Logging
import Testing
@testable import SealSystemd
#if canImport(Glibc)
import Glibc
#endif

@Suite("systemd integration", .serialized)
struct SystemdTests {
    @Test func journalLinesCarrySyslogPriority() {
        let line = SystemdLogHandler.formatLine(
            level: .warning, label: "seald", message: "queue full", metadata: ["queued": "16", "model": "smol lm"],
            format: .journal, timestamp: "")
        #expect(line == "<4>seald: queue full model=\"smol lm\" queued=16\n")
        #expect(SystemdLogHandler.syslogPriority(.critical) == 2)
        #expect(SystemdLogHandler.syslogPriority(.trace) == 7)
        let multiline = SystemdLogHandler.formatLine(
            level: .info, label: "", message: "a\nb", metadata: [:], format: .journal, timestamp: "")
        #expect(multiline == "<6>a\\nb\n", "one event must stay one journal entry")
    }

    @Test func consoleLinesCarryTimestampAndLevel() {
        let line = SystemdLogHandler.formatLine(
            level: .error, label: "seald", message: "failed", metadata: ["path": "/x"], format: .console,
            timestamp: "2026-01-01T00:00:00.000+0000")
        #expect(line == "2026-01-01T00:00:00.000+0000 error seald: failed path=/x\n")
        let stamp = SystemdLogHandler.timestamp()
        #expect(stamp.count == "2026-01-01T00:00:00.000+0000".count)
    }

    @Test func journalIsDetectedByDeviceAndInode() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/stream"
        let fd = open(path, O_CREAT | O_WRONLY, 0o600)
        defer { close(fd) }
        var info = stat()
        #expect(fstat(fd, &info) == 0)
        let matching = "\(info.st_dev):\(info.st_ino)"
        #expect(SystemdLogHandler.detectFormat(fileDescriptor: fd, journalStream: matching) == .journal)
        #expect(SystemdLogHandler.detectFormat(fileDescriptor: fd, journalStream: "\(info.st_dev):1") == .console)
        #expect(SystemdLogHandler.detectFormat(fileDescriptor: fd, journalStream: nil) == .console)
        #expect(SystemdLogHandler.detectFormat(fileDescriptor: fd, journalStream: "garbage") == .console)
    }

    @Test func handlerWritesMetadataAndErrors() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/log"
        let fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0o600)
        var handler = SystemdLogHandler(label: "seald", logLevel: .debug, format: .journal, fileDescriptor: fd)
        handler[metadataKey: "peer_uid"] = "1000"
        let logger = Logger(label: "seald") { _ in handler }
        logger.notice("model loaded", metadata: ["model": "smollm2"])
        logger.trace("not written: below the level")
        close(fd)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == "<5>seald: model loaded model=smollm2 peer_uid=1000\n")
    }

    @Test func notifierSendsStatesToNotifySocket() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/notify"
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        defer { close(fd) }
        try bindUnix(fd, path)
        var limit = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        let previous = getenv("NOTIFY_SOCKET").map { String(cString: $0) }
        setenv("NOTIFY_SOCKET", path, 1)
        defer {
            if let previous { setenv("NOTIFY_SOCKET", previous, 1) } else { unsetenv("NOTIFY_SOCKET") }
        }
        func receive() -> String {
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = recv(fd, &buffer, buffer.count, 0)
            return count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self) : ""
        }
        let notifier = SystemdNotifier()
        #expect(notifier.isSupervised)
        #expect(notifier.ready(status: "serving\nsmollm2"))
        #expect(receive() == "READY=1\nSTATUS=serving smollm2")
        #expect(notifier.reloading())
        let reloading = receive()
        #expect(reloading.hasPrefix("RELOADING=1\nMONOTONIC_USEC="))
        let usec = UInt64(reloading.split(separator: "=").last ?? "") ?? 0
        #expect(usec > 0 && usec <= SystemdNotifier.monotonicMicroseconds())
        #expect(notifier.stopping())
        #expect(receive() == "STOPPING=1")
        #expect(notifier.extendTimeout(by: .seconds(90)))
        #expect(receive() == "EXTEND_TIMEOUT_USEC=90000000")
        unsetenv("NOTIFY_SOCKET")
        #expect(!notifier.ready(), "without NOTIFY_SOCKET notifying is a no-op")
        #expect(notifier.watchdogInterval == nil)
    }

    @Test func noSocketsWithoutActivation() throws {
        unsetenv("LISTEN_FDS")
        unsetenv("LISTEN_PID")
        #expect(try SocketActivation.listenFileDescriptors() == [])
    }
}
