import Foundation
import SealAPI

/// One event of a `text/event-stream` body, as the WHATWG HTML standard defines it.
public struct ServerSentEvent: Sendable, Equatable {
    /// The `event:` field; `message` when the event had none (OpenAI streams send none).
    public var event: String
    /// The `data:` lines joined with `\n`.
    public var data: String
    /// The last `id:` seen in the stream, if any.
    public var id: String?
    /// A `retry:` reconnection time in milliseconds, if this event carried one.
    public var retry: Int?

    public init(event: String = "message", data: String, id: String? = nil, retry: Int? = nil) {
        self.event = event
        self.data = data
        self.id = id
        self.retry = retry
    }

    /// Decodes `data` as API JSON. A decoding failure is a ``ClientError/protocolError(_:)``:
    /// the daemon broke its own contract.
    public func decode<T: Decodable>(_ type: T.Type = T.self) throws(ClientError) -> T {
        do {
            return try APIJSON.decode(type, from: Data(data.utf8))
        } catch {
            throw ClientError.protocolError("'\(event)' event: \(error.message)")
        }
    }
}

/// An incremental `text/event-stream` parser: feed it body bytes in whatever pieces they come
/// (a line, an event, or a code point may be split across chunks) and it returns the events
/// completed so far. Comments (`:` lines, used as keep-alives) are dropped.
public struct ServerSentEventParser: Sendable {
    private var line: [UInt8] = []
    private var lastByteWasCR = false
    private var atStart = true
    private var eventType = ""
    private var data = ""
    private var hasData = false
    private var lastEventID: String?
    private var retry: Int?

    public init() {}

    /// Parses `bytes` and returns the events they complete.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        for byte in bytes {
            if lastByteWasCR {
                lastByteWasCR = false
                if byte == UInt8(ascii: "\n") { continue }  // CRLF is one line ending
            }
            switch byte {
            case UInt8(ascii: "\r"):
                lastByteWasCR = true
                if let event = endLine() { events.append(event) }
            case UInt8(ascii: "\n"):
                if let event = endLine() { events.append(event) }
            default:
                line.append(byte)
            }
        }
        return events
    }

    /// Parses a whole body at once (tests, non-streamed responses). An event not followed by a
    /// blank line is incomplete and, as the standard says, discarded.
    public static func parse(_ text: String) -> [ServerSentEvent] {
        var parser = ServerSentEventParser()
        return parser.feed(Array(text.utf8))
    }

    private mutating func endLine() -> ServerSentEvent? {
        var bytes = line
        line.removeAll(keepingCapacity: true)
        if atStart {
            atStart = false
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }  // byte order mark
        }
        if bytes.isEmpty { return dispatch() }
        if bytes.first == UInt8(ascii: ":") { return nil }  // comment
        let text = String(decoding: bytes, as: UTF8.self)
        let field: Substring
        var value: Substring
        if let colon = text.firstIndex(of: ":") {
            field = text[..<colon]
            value = text[text.index(after: colon)...]
            if value.first == " " { value = value.dropFirst() }
        } else {
            field = text[...]
            value = ""
        }
        switch field {
        case "event":
            eventType = String(value)
        case "data":
            if hasData { data += "\n" }
            data += value
            hasData = true
        case "id":
            if !value.contains("\0") { lastEventID = String(value) }
        case "retry":
            if !value.isEmpty, value.allSatisfy(\.isASCIIDigit), let milliseconds = Int(value) { retry = milliseconds }
        default:
            break  // unknown fields are ignored
        }
        return nil
    }

    private mutating func dispatch() -> ServerSentEvent? {
        defer {
            eventType = ""
            data = ""
            hasData = false
            retry = nil
        }
        guard hasData else { return nil }
        return ServerSentEvent(event: eventType.isEmpty ? "message" : eventType, data: data, id: lastEventID, retry: retry)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
