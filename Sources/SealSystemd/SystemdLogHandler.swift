import Logging
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A swift-log handler that writes one line per event to standard error, in the
/// form journald understands when it is listening, and readable by a person otherwise.
///
/// Under systemd, stderr is a stream to journald and `JOURNAL_STREAM` names it
/// (`device:inode`). Lines then start with a `<N>` syslog priority, which journald
/// strips and stores as the entry's priority (`SyslogLevelPrefix=yes`, the default),
/// so `journalctl -p warning -u seald` works; journald adds the timestamp itself.
/// Run by hand, lines carry a timestamp and the level instead. Metadata follows the
/// message as `key=value`, sorted by key, quoted when needed.
public struct SystemdLogHandler: LogHandler {
    /// How lines are written.
    public enum Format: Sendable, Equatable {
        /// `<6>label: message key=value`, for journald.
        case journal
        /// `2026-01-31T12:00:00.123+0000 info label: message key=value`, for a terminal or a file.
        case console
    }

    /// The logger's label, written before each message.
    public let label: String
    /// The chosen format.
    public var format: Format
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let fileDescriptor: Int32

    /// - Parameters:
    ///   - format: `nil` picks ``Format/journal`` when `fileDescriptor` is the journal stream.
    ///   - fileDescriptor: where lines go; standard error by default.
    public init(
        label: String,
        logLevel: Logger.Level = .info,
        format: Format? = nil,
        fileDescriptor: Int32 = STDERR_FILENO,
        metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider
    ) {
        self.label = label
        self.logLevel = logLevel
        self.fileDescriptor = fileDescriptor
        self.format = format ?? Self.detectFormat(fileDescriptor: fileDescriptor)
        self.metadataProvider = metadataProvider
    }

    /// Installs this handler for every logger of the process, at `level`.
    /// `LoggingSystem` accepts one bootstrap per process: call it once, early in `main`.
    public static func bootstrap(level: Logger.Level, format: Format? = nil) {
        let chosen = format ?? detectFormat(fileDescriptor: STDERR_FILENO)
        LoggingSystem.bootstrap { label in
            SystemdLogHandler(label: label, logLevel: level, format: chosen)
        }
    }

    /// ``Format/journal`` when `JOURNAL_STREAM` names the same device and inode as
    /// `fileDescriptor`, as systemd documents for deciding to switch to native logging.
    public static func detectFormat(
        fileDescriptor: Int32 = STDERR_FILENO,
        journalStream: String? = getenv("JOURNAL_STREAM").map { String(cString: $0) }
    ) -> Format {
        guard let journalStream else { return .console }
        let parts = journalStream.split(separator: ":")
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return .console }
        var info = stat()
        guard fstat(fileDescriptor, &info) == 0 else { return .console }
        return UInt64(info.st_dev) == device && UInt64(info.st_ino) == inode ? .journal : .console
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let explicit = event.metadata { merged.merge(explicit) { _, new in new } }
        if let error = event.error { merged["error"] = "\(error)" }
        let line = Self.formatLine(
            level: event.level, label: label, message: event.message.description, metadata: merged,
            format: format, timestamp: format == .console ? Self.timestamp() : "")
        Self.write(line, to: fileDescriptor)
    }

    /// One complete line, newline included; pure, for tests.
    static func formatLine(
        level: Logger.Level, label: String, message: String, metadata: Logger.Metadata,
        format: Format, timestamp: String
    ) -> String {
        // journald splits entries at newlines, so a message never spans lines.
        var text = message.replacingNewlines()
        if !metadata.isEmpty {
            text += " " + metadata.sorted { $0.key < $1.key }
                .map { "\($0.key)=\(quoteIfNeeded("\($0.value)"))" }
                .joined(separator: " ")
        }
        let name = label.isEmpty ? "" : "\(label): "
        switch format {
        case .journal:
            return "<\(syslogPriority(level))>\(name)\(text)\n"
        case .console:
            return "\(timestamp) \(level) \(name)\(text)\n"
        }
    }

    /// RFC 5424 severities, as journald and `journalctl -p` use them.
    static func syslogPriority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    /// Local time with milliseconds and the UTC offset, ISO 8601.
    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        localtime_r(&seconds, &parts)
        var buffer = [CChar](repeating: 0, count: 64)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S", &parts)
        var offset = [CChar](repeating: 0, count: 16)
        let offsetCount = strftime(&offset, offset.count, "%z", &parts)
        let base = String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let zone = String(decoding: offset.prefix(offsetCount).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let millis = Int(now.tv_nsec / 1_000_000)
        let padded = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
        return "\(base).\(padded)\(zone)"
    }

    /// One `write(2)` per line, so lines from several threads never interleave.
    static func write(_ line: String, to fd: Int32) {
        var line = line
        line.withUTF8 { bytes in
            guard var base = bytes.baseAddress else { return }
            var remaining = bytes.count
            while remaining > 0 {
                let written = Glibc.write(fd, base, remaining)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                remaining -= written
                base += written
            }
        }
    }
}

/// Values with spaces, quotes, `=` or nothing at all are quoted, so `key=value` pairs stay parseable.
func quoteIfNeeded(_ value: String) -> String {
    let flat = value.replacingNewlines()
    let needsQuotes = flat.isEmpty || flat.contains { $0 == " " || $0 == "\"" || $0 == "=" || $0 == "\t" }
    guard needsQuotes else { return flat }
    var quoted = "\""
    for character in flat {
        if character == "\"" || character == "\\" { quoted.append("\\") }
        quoted.append(character)
    }
    return quoted + "\""
}

extension String {
    /// Newlines written as `\n`, so one event stays one line (one journal entry).
    func replacingNewlines() -> String {
        guard contains(where: \.isNewline) else { return self }
        return split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).joined(separator: "\\n")
    }
}
