#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Who may do what over the API, decided from the peer's kernel credentials.
///
/// Two levels, like Docker's socket but finer: whoever can open the socket may
/// *read* (the socket's mode and group are the first gate), and state changes
/// (*admin*: load a model, start a job) are for root, the daemon's own user and
/// members of an admin group. Membership is checked against the peer's primary
/// gid and the user's supplementary groups in the group database (as `id(1)` shows).
public struct AccessPolicy: Sendable {
    /// What a route needs.
    public enum Level: String, Sendable, Equatable {
        /// Inspecting and generating.
        case read
        /// Changing the daemon's state.
        case admin
    }

    /// A group, by name for messages and by gid for checks.
    public struct Group: Sendable, Equatable {
        public var name: String
        public var gid: gid_t
        public init(name: String, gid: gid_t) {
            self.name = name
            self.gid = gid
        }

        /// Looks up a group by name, or takes a numeric gid as it is.
        public static func named(_ name: String) throws(HTTPServerError) -> Group {
            if let gid = gid_t(name) { return Group(name: SystemAccounts.groupName(of: gid) ?? name, gid: gid) }
            guard let gid = SystemAccounts.groupID(named: name) else {
                throw HTTPServerError(.unknownGroup, "group '\(name)' does not exist")
            }
            return Group(name: name, gid: gid)
        }
    }

    /// The outcome of a check; a denial carries the sentence sent to the client.
    public enum Decision: Sendable, Equatable {
        case allowed
        case denied(reason: String)
    }

    /// The uid the daemon runs as: its own user may always administer it.
    public var daemonUID: uid_t
    /// Members may administer; `nil`: only root and the daemon's user.
    public var adminGroup: Group?
    /// When set, reading needs this group (or admin rights).
    public var readGroup: Group?
    /// How a uid's supplementary groups are found; replaceable in tests.
    public var membership: GroupMembership

    public init(
        daemonUID: uid_t = getuid(),
        adminGroup: Group? = nil,
        readGroup: Group? = nil,
        membership: GroupMembership = .system
    ) {
        self.daemonUID = daemonUID
        self.adminGroup = adminGroup
        self.readGroup = readGroup
        self.membership = membership
    }

    /// Whether `peer` may act at `level`.
    public func check(_ level: Level, peer: PeerCredentials) -> Decision {
        switch level {
        case .admin:
            return isAdmin(peer) ? .allowed : .denied(reason: adminDenial(peer))
        case .read:
            guard let readGroup else { return .allowed }
            if isAdmin(peer) || isMember(peer, of: readGroup) { return .allowed }
            return .denied(reason: "uid \(peer.uid) (pid \(peer.pid)) is not in the read group '\(readGroup.name)'")
        }
    }

    private func isAdmin(_ peer: PeerCredentials) -> Bool {
        if peer.uid == 0 || peer.uid == daemonUID { return true }
        guard let adminGroup else { return false }
        return isMember(peer, of: adminGroup)
    }

    private func isMember(_ peer: PeerCredentials, of group: Group) -> Bool {
        peer.gid == group.gid || membership.groups(peer.uid, peer.gid).contains(group.gid)
    }

    private func adminDenial(_ peer: PeerCredentials) -> String {
        if let adminGroup {
            return "uid \(peer.uid) (pid \(peer.pid)) is not in the admin group '\(adminGroup.name)'"
        }
        return "uid \(peer.uid) (pid \(peer.pid)) may not change the daemon's state: only root and the daemon's user may "
            + "(set access.admin_group to allow a group)"
    }
}

/// Looks up the groups of a user: `(uid, primary gid) -> all gids`.
public struct GroupMembership: Sendable {
    public let groups: @Sendable (uid_t, gid_t) -> [gid_t]

    public init(_ groups: @escaping @Sendable (uid_t, gid_t) -> [gid_t]) {
        self.groups = groups
    }

    /// The group database (`getpwuid_r` then `getgrouplist`), through NSS like `id(1)`.
    public static let system = GroupMembership { uid, gid in SystemAccounts.groups(ofUID: uid, primaryGID: gid) }
}

/// Thin, reentrant wrappers over the passwd and group databases.
enum SystemAccounts {
    static func userName(of uid: uid_t) -> String? {
        withBuffer { buffer, size in
            var entry = passwd()
            var result: UnsafeMutablePointer<passwd>?
            let status = getpwuid_r(uid, &entry, buffer, size, &result)
            if status == ERANGE { return .retry }
            guard status == 0, let result, let name = result.pointee.pw_name else { return .done(nil) }
            return .done(String(cString: name))
        }
    }

    static func groupID(named name: String) -> gid_t? {
        withBuffer { buffer, size in
            var entry = group()
            var result: UnsafeMutablePointer<group>?
            let status = getgrnam_r(name, &entry, buffer, size, &result)
            if status == ERANGE { return .retry }
            guard status == 0, let result else { return .done(nil) }
            return .done(result.pointee.gr_gid)
        }
    }

    static func groupName(of gid: gid_t) -> String? {
        withBuffer { buffer, size in
            var entry = group()
            var result: UnsafeMutablePointer<group>?
            let status = getgrgid_r(gid, &entry, buffer, size, &result)
            if status == ERANGE { return .retry }
            guard status == 0, let result, let name = result.pointee.gr_name else { return .done(nil) }
            return .done(String(cString: name))
        }
    }

    /// The user's groups per the database, always including `primaryGID`; empty for an unknown uid.
    static func groups(ofUID uid: uid_t, primaryGID: gid_t) -> [gid_t] {
        guard let name = userName(of: uid) else { return [primaryGID] }
        var count: Int32 = 32
        for _ in 0..<8 {
            var list = [gid_t](repeating: 0, count: Int(count))
            let previous = count
            if getgrouplist(name, primaryGID, &list, &count) >= 0 {
                return Array(list.prefix(Int(count)))
            }
            // Too small: `count` now holds the size needed (glibc), or grow ourselves.
            count = max(count, previous * 2)
        }
        return [primaryGID]
    }

    private enum Attempt<T> {
        case done(T)
        case retry
    }

    /// Runs a `*_r` lookup with a growing scratch buffer until it is large enough.
    private static func withBuffer<T>(_ body: (UnsafeMutablePointer<CChar>, Int) -> Attempt<T?>) -> T? {
        var size = 1024
        while size <= 1 << 20 {
            let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: size)
            defer { buffer.deallocate() }
            switch body(buffer, size) {
            case .done(let value): return value
            case .retry: size *= 4
            }
        }
        return nil
    }
}
