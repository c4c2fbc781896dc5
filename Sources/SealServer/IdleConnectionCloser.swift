import NIOCore

/// Closes a keep-alive connection that has been silent for the idle timeout,
/// unless a request is in progress on it (a long stream reads nothing from the
/// client and must not be cut).
final class IdleConnectionCloser: ChannelInboundHandler {
    typealias InboundIn = NIOAny

    private let registry: ConnectionRegistry
    private let id: Int

    init(registry: ConnectionRegistry, id: Int) {
        self.registry = registry
        self.id = id
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read, !registry.isBusy(id) {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}
