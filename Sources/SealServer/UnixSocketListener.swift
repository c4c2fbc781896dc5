import Logging
import NIOCore
import NIOPosix
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The listening socket: bound by us (and removed again on shutdown) or adopted
/// from systemd (and left alone).
struct UnixSocketListener<Output: Sendable>: Sendable, CustomStringConvertible {
    let channel: NIOAsyncChannel<Output, Never>
    let description: String
    private let ownedFile: (path: String, device: UInt64, inode: UInt64)?

    static func bind(
        _ listener: HTTPServerConfiguration.Listener,
        group: any EventLoopGroup,
        logger: Logger,
        initializer: @escaping @Sendable (Channel) -> EventLoopFuture<Output>
    ) async throws -> UnixSocketListener {
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            // A client may shut down its sending side after a complete request and
            // still read the answer; a client that closes entirely still closes the
            // connection (a Unix socket reports that as a hang-up, not half-closure).
            .childChannelOption(.allowRemoteHalfClosure, value: true)
        switch listener {
        case .inheritedSocket(let fd):
            do {
                let channel = try await bootstrap.bind(fd, cleanupExistingSocketFile: false, childChannelInitializer: initializer)
                return UnixSocketListener(channel: channel, description: "inherited fd \(fd)", ownedFile: nil)
            } catch {
                throw HTTPServerError(.socketSetup, "cannot serve on inherited socket fd \(fd): \(error)")
            }

        case .unixSocket(let path, let mode, let groupName):
            guard path.hasPrefix("/") else {
                throw HTTPServerError(.socketSetup, "socket path \(path) is not absolute")
            }
            let gid = try groupName.map { name throws(HTTPServerError) in try AccessPolicy.Group.named(name).gid }
            try UnixSocketFile.prepare(path: path)
            let staging = try UnixSocketFile.makeStaging(for: path)
            if staging == nil {
                logger.warning("socket path too long to stage privately; its mode is set after bind",
                               metadata: ["socket": "\(path)"])
            }
            let channel: NIOAsyncChannel<Output, Never>
            do {
                channel = try await bootstrap.bind(
                    unixDomainSocketPath: staging?.socketPath ?? path, cleanupExistingSocketFile: staging == nil,
                    childChannelInitializer: initializer)
            } catch {
                if let staging { rmdir(staging.directory) }
                throw HTTPServerError(.socketSetup, "cannot bind \(path): \(error)")
            }
            do {
                try UnixSocketFile.finish(staging, path: path, mode: mode, group: gid)
            } catch {
                try? await channel.channel.close()
                throw error
            }
            let identity = UnixSocketFile.identity(of: path).map { (path, UInt64($0.0), UInt64($0.1)) }
            return UnixSocketListener(channel: channel, description: path, ownedFile: identity)
        }
    }

    /// Removes the socket file if we created it and nobody replaced it since.
    func removeSocketFile() {
        guard let ownedFile else { return }
        UnixSocketFile.remove(ownedFile.path, ifIdentity: (dev_t(ownedFile.device), ino_t(ownedFile.inode)))
    }
}
