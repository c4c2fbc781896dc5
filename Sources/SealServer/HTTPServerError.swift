/// Failures of the server itself: setting up its socket, or a client that went away.
///
/// Handlers do not throw this type to answer a request: they throw ``HTTPError``,
/// which *is* an answer. They see ``HTTPServerError/Kind/clientDisconnected`` from a
/// streaming writer, which tells them to stop producing at once.
public struct HTTPServerError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Creating, binding or adjusting the listening socket failed.
        case socketSetup
        /// Another process is accepting connections on the socket path.
        case socketInUse
        /// A configured group name does not exist.
        case unknownGroup
        /// The client closed the connection; nothing more can be sent.
        case clientDisconnected
        /// ``HTTPServer/run()`` was called twice.
        case alreadyRunning
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    static let clientDisconnected = HTTPServerError(.clientDisconnected, "the client closed the connection")
}
