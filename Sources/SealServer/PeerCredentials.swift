import NIOCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Who is on the other end of a Unix socket connection, as the kernel saw it at
/// `connect(2)` time (`SO_PEERCRED`). Cannot be forged by the client, so access
/// decisions and audit logs rest on it.
public struct PeerCredentials: Sendable, Hashable, CustomStringConvertible {
    public var uid: uid_t
    public var gid: gid_t
    public var pid: pid_t

    public init(uid: uid_t, gid: gid_t, pid: pid_t) {
        self.uid = uid
        self.gid = gid
        self.pid = pid
    }

    public var description: String { "uid \(uid) gid \(gid) pid \(pid)" }

    /// Reads `SO_PEERCRED` from an accepted connection.
    static func read(from channel: Channel) -> EventLoopFuture<PeerCredentials> {
        guard let provider = channel as? SocketOptionProvider else {
            return channel.eventLoop.makeFailedFuture(
                HTTPServerError(.socketSetup, "connection does not expose socket options"))
        }
        // `struct ucred { pid_t pid; uid_t uid; gid_t gid; }` needs _GNU_SOURCE, which Swift's
        // Glibc module does not define; three 32-bit fields read as a homogeneous tuple
        // have the same layout (tuples of one type are laid out like C arrays).
        let future: EventLoopFuture<(UInt32, UInt32, UInt32)> = provider.unsafeGetSocketOption(
            level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(SO_PEERCRED))
        return future.map { raw in
            PeerCredentials(uid: uid_t(raw.1), gid: gid_t(raw.2), pid: pid_t(bitPattern: raw.0))
        }
    }
}
