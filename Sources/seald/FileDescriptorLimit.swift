import Logging
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Makes room for `server.max_connections` open connections in the process's
/// file-descriptor limit (`RLIMIT_NOFILE`).
enum FileDescriptorLimit {
    /// Descriptors kept for everything but connections: the model, plugins, state files, the listener.
    static let reserve = 128

    /// Raises the soft limit towards the hard one when `maxConnections` plus the
    /// reserve do not fit, and warns when even the hard limit is too small: past it,
    /// accepting fails and every client, health checks included, is turned away.
    static func ensureRoom(forConnections maxConnections: Int, logger: Logger) {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
        let needed = rlim_t(maxConnections + reserve)
        guard limit.rlim_cur < needed else { return }
        let raised = min(needed, limit.rlim_max)
        var wanted = rlimit(rlim_cur: raised, rlim_max: limit.rlim_max)
        if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &wanted) == 0 { limit.rlim_cur = raised }
        if limit.rlim_cur < needed {
            logger.warning("the file descriptor limit is too small for server.max_connections; lower it or raise LimitNOFILE=", metadata: [
                "max_connections": "\(maxConnections)", "nofile_limit": "\(limit.rlim_cur)", "needed": "\(needed)",
            ])
        } else {
            logger.info("raised the file descriptor limit for server.max_connections", metadata: ["nofile_limit": "\(limit.rlim_cur)"])
        }
    }
}
