import Foundation

/// An incremental HTTP/1.1 response parser: bytes go in as they arrive, events come out as soon
/// as they are complete, so a streamed body reaches the caller chunk by chunk.
///
/// Bodies are framed by `Transfer-Encoding: chunked`, `Content-Length`, or the end of the
/// connection, in that order of precedence (RFC 9112 §6.3).
struct HTTPResponseParser {
    enum Event: Equatable {
        case head(HTTPResponseHead)
        case body([UInt8])
        case end
    }

    private enum State {
        case head
        case fixed(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers
        case untilClose
        case done
    }

    /// A head larger than this is not from seald.
    static let maximumHeadBytes = 64 * 1024

    private var state = State.head
    private var buffer: [UInt8] = []
    private var readIndex = 0

    /// Adds bytes read from the connection.
    mutating func append(_ bytes: some Sequence<UInt8>) {
        if readIndex > 0, readIndex >= buffer.count / 2 {
            buffer.removeFirst(readIndex)
            readIndex = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete event, or nil when more bytes are needed.
    mutating func next() throws(ClientError) -> Event? {
        while true {
            switch state {
            case .done:
                return nil
            case .head:
                guard let head = try parseHead() else { return nil }
                if (100..<200).contains(head.status) { continue }  // 100 Continue and friends
                state = try bodyState(for: head)
                return .head(head)
            case .fixed(let remaining):
                if remaining == 0 { state = .done; return .end }
                guard let bytes = take(upTo: remaining) else { return nil }
                state = .fixed(remaining: remaining - bytes.count)
                return .body(bytes)
            case .untilClose:
                return take(upTo: Int.max).map(Event.body)
            case .chunkSize:
                guard let line = try takeLine() else { return nil }
                let hex = line.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
                guard let size = Int(hex.trimmingCharacters(in: .whitespaces), radix: 16), size >= 0 else {
                    throw ClientError.protocolError("invalid chunk size '\(line)'")
                }
                state = size == 0 ? .trailers : .chunkData(remaining: size)
            case .chunkData(let remaining):
                guard let bytes = take(upTo: remaining) else { return nil }
                let left = remaining - bytes.count
                state = left == 0 ? .chunkDataEnd : .chunkData(remaining: left)
                return .body(bytes)
            case .chunkDataEnd:
                guard let line = try takeLine() else { return nil }
                guard line.isEmpty else { throw ClientError.protocolError("chunk data longer than its size") }
                state = .chunkSize
            case .trailers:
                guard let line = try takeLine() else { return nil }
                if line.isEmpty { state = .done; return .end }
            }
        }
    }

    /// The peer closed the connection: the end of an until-close body, otherwise a truncated response.
    mutating func endOfInput() throws(ClientError) -> Event? {
        switch state {
        case .done:
            return nil
        case .untilClose:
            state = .done
            return .end
        case .head:
            throw ClientError.protocolError(buffer.count == readIndex
                ? "the connection closed before a response arrived"
                : "the connection closed in the middle of the response head")
        default:
            throw ClientError.protocolError("the connection closed before the response body was complete")
        }
    }

    // MARK: - Head

    private mutating func parseHead() throws(ClientError) -> HTTPResponseHead? {
        guard let end = headEnd() else {
            if buffer.count - readIndex > Self.maximumHeadBytes {
                throw ClientError.protocolError("response head larger than \(Self.maximumHeadBytes) bytes")
            }
            return nil
        }
        // Split bytes, not a String: Swift treats "\r\n" as one Character, which "\n" never matches.
        var lines = buffer[readIndex..<end].split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
            String(decoding: line.last == UInt8(ascii: "\r") ? line.dropLast() : line, as: UTF8.self)
        }
        readIndex = end
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard let statusLine = lines.first else { throw ClientError.protocolError("empty response head") }
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), parts[1].count == 3, let status = Int(parts[1]) else {
            throw ClientError.protocolError("invalid status line '\(statusLine.prefix(80))'")
        }
        var headers: [HTTPHeaderField] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else {
                throw ClientError.protocolError("invalid header line '\(line.prefix(80))'")
            }
            let name = String(line[..<colon])
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers.append(HTTPHeaderField(name: name, value: value))
        }
        return HTTPResponseHead(status: status, reason: parts.count > 2 ? String(parts[2]) : "", headers: headers)
    }

    /// The index just past the blank line ending the head (CRLF CRLF, or bare LF LF).
    private func headEnd() -> Int? {
        var index = readIndex
        while index < buffer.count {
            if buffer[index] == UInt8(ascii: "\n") {
                if index + 1 < buffer.count, buffer[index + 1] == UInt8(ascii: "\n") { return index + 2 }
                if index + 2 < buffer.count, buffer[index + 1] == UInt8(ascii: "\r"), buffer[index + 2] == UInt8(ascii: "\n") {
                    return index + 3
                }
            }
            index += 1
        }
        return nil
    }

    private func bodyState(for head: HTTPResponseHead) throws(ClientError) -> State {
        if head.status == 204 || head.status == 304 { return .fixed(remaining: 0) }
        if let encoding = head.header("Transfer-Encoding") {
            guard encoding.lowercased().split(separator: ",").last?.trimmingCharacters(in: .whitespaces) == "chunked" else {
                throw ClientError.protocolError("unsupported transfer encoding '\(encoding)'")
            }
            return .chunkSize
        }
        if let length = head.header("Content-Length") {
            guard let count = Int(length.trimmingCharacters(in: .whitespaces)), count >= 0 else {
                throw ClientError.protocolError("invalid Content-Length '\(length)'")
            }
            return .fixed(remaining: count)
        }
        return .untilClose
    }

    // MARK: - Bytes

    /// Up to `limit` buffered bytes, or nil when none are buffered.
    private mutating func take(upTo limit: Int) -> [UInt8]? {
        let available = buffer.count - readIndex
        guard available > 0 else { return nil }
        let count = min(available, limit)
        let bytes = Array(buffer[readIndex..<readIndex + count])
        readIndex += count
        return bytes
    }

    /// One LF-terminated line without its line ending, or nil when incomplete.
    private mutating func takeLine() throws(ClientError) -> String? {
        guard let newline = buffer[readIndex...].firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.count - readIndex > 4096 { throw ClientError.protocolError("chunk framing line too long") }
            return nil
        }
        var end = newline
        if end > readIndex, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        let line = String(decoding: buffer[readIndex..<end], as: UTF8.self)
        readIndex = newline + 1
        return line
    }
}
