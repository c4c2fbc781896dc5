import CSystemd
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Sockets passed by systemd (`seald.socket`), so that the socket exists with the
/// right owner and mode before the daemon starts and clients never see "no such file"
/// across restarts.
public enum SocketActivation {
    /// The listening Unix stream sockets systemd passed, in `ListenStream=` order;
    /// empty when the daemon was not socket-activated (then it binds its own socket).
    ///
    /// Clears `LISTEN_FDS`/`LISTEN_PID` so child processes do not think the sockets
    /// are theirs, and marks the descriptors close-on-exec.
    ///
    /// - Throws: ``SystemdError`` when systemd passed something other than a listening
    ///   Unix stream socket (a unit misconfiguration the daemon should refuse).
    public static func listenFileDescriptors() throws(SystemdError) -> [Int32] {
        let count = sd_listen_fds(1)
        guard count >= 0 else {
            throw SystemdError(operation: "sd_listen_fds", errno: -count, message: "cannot read the passed sockets")
        }
        let first = SD_LISTEN_FDS_START
        var descriptors: [Int32] = []
        for fd in first..<(first + count) {
            let isUnixStream = sd_is_socket_unix(fd, Int32(SOCK_STREAM.rawValue), 1, nil, 0)
            guard isUnixStream > 0 else {
                throw SystemdError(
                    operation: "sd_is_socket_unix", errno: isUnixStream < 0 ? -isUnixStream : 0,
                    message: "file descriptor \(fd) passed by systemd is not a listening Unix stream socket")
            }
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            descriptors.append(fd)
        }
        return descriptors
    }
}
