/// What went wrong talking to systemd.
public struct SystemdError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The libsystemd call or check that failed, e.g. `sd_listen_fds`.
    public var operation: String
    /// The errno it returned (positive), or 0 for a failed check.
    public var errno: Int32
    /// A sentence for the log.
    public var message: String

    public init(operation: String, errno: Int32, message: String) {
        self.operation = operation
        self.errno = errno
        self.message = message
    }

    public var description: String {
        errno == 0 ? "\(operation): \(message)" : "\(operation): \(message) (errno \(errno))"
    }
}
