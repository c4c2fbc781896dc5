import Foundation
import SealTestSupport
import SealServer
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("Access policy")
struct AccessPolicyTests {
    let admins = AccessPolicy.Group(name: "sealadm", gid: 4242)
    /// uid 1000 is in 4242 as a supplementary group; nobody else is.
    let membership = GroupMembership { uid, gid in uid == 1000 ? [gid, 4242] : [gid] }

    @Test func rootAndTheDaemonUserAreAlwaysAdmins() {
        let policy = AccessPolicy(daemonUID: 990, adminGroup: nil, membership: membership)
        #expect(policy.check(.admin, peer: .init(uid: 0, gid: 0, pid: 1)) == .allowed)
        #expect(policy.check(.admin, peer: .init(uid: 990, gid: 990, pid: 2)) == .allowed)
    }

    @Test func adminGroupMembershipByPrimaryOrSupplementaryGroup() {
        let policy = AccessPolicy(daemonUID: 990, adminGroup: admins, membership: membership)
        #expect(policy.check(.admin, peer: .init(uid: 1000, gid: 1000, pid: 3)) == .allowed)
        #expect(policy.check(.admin, peer: .init(uid: 1001, gid: 4242, pid: 4)) == .allowed)
        #expect(policy.check(.admin, peer: .init(uid: 1002, gid: 1002, pid: 4242))
            == .denied(reason: "uid 1002 (pid 4242) is not in the admin group 'sealadm'"))
    }

    @Test func withoutAdminGroupOthersAreToldHowToGetAccess() {
        let policy = AccessPolicy(daemonUID: 990, membership: membership)
        guard case .denied(let reason) = policy.check(.admin, peer: .init(uid: 1000, gid: 1000, pid: 7)) else {
            Issue.record("uid 1000 should be refused")
            return
        }
        #expect(reason.hasPrefix("uid 1000 (pid 7) may not change the daemon's state"))
        #expect(reason.contains("access.admin_group"))
    }

    @Test func readIsOpenUnlessAReadGroupIsSet() {
        let open = AccessPolicy(daemonUID: 990, membership: membership)
        #expect(open.check(.read, peer: .init(uid: 1234, gid: 1234, pid: 1)) == .allowed)
        let readers = AccessPolicy.Group(name: "sealread", gid: 5000)
        let closed = AccessPolicy(daemonUID: 990, adminGroup: admins, readGroup: readers, membership: membership)
        #expect(closed.check(.read, peer: .init(uid: 1234, gid: 5000, pid: 1)) == .allowed)
        #expect(closed.check(.read, peer: .init(uid: 1000, gid: 1000, pid: 1)) == .allowed) // admin
        #expect(closed.check(.read, peer: .init(uid: 1234, gid: 1234, pid: 9))
            == .denied(reason: "uid 1234 (pid 9) is not in the read group 'sealread'"))
    }

    @Test func systemGroupDatabaseLookups() throws {
        let root = try AccessPolicy.Group.named("0")
        #expect(root.gid == 0)
        #expect(throws: HTTPServerError.self) { try AccessPolicy.Group.named("no-such-group-seal") }
        // Our own groups per the database include our primary group.
        #expect(GroupMembership.system.groups(getuid(), getgid()).contains(getgid()))
    }

    /// Over the wire: a client running as another user is refused with 403 and the reason.
    /// Needs root to start a client as `nobody` (setpriv); otherwise we are the stranger.
    @Test func nonAdminPeerGets403OverTheSocket() async throws {
        var router = Router()
        router.post("/v1/models/:name/load") { _, _ in .text("loaded") }
        router.get("/v1/models") { _, _ in .text("[]") }
        let asRoot = getuid() == 0
        let setpriv = "/usr/bin/setpriv", curl = "/usr/bin/curl"
        if asRoot {
            try #require(FileManager.default.isExecutableFile(atPath: setpriv), "setpriv (util-linux) is needed as root")
            try #require(FileManager.default.isExecutableFile(atPath: curl), "curl is needed as root")
        }
        let policy = AccessPolicy(daemonUID: asRoot ? 0 : getuid() &+ 1, adminGroup: admins)
        try await withTestServer(router, configure: {
            $0.accessPolicy = policy
            if case .unixSocket(let path, _, _) = $0.listener { $0.listener = .unixSocket(path: path, mode: 0o666) }
        }) { path, server in
            chmod((path as NSString).deletingLastPathComponent, 0o755)
            let (status, body): (Int, String)
            if asRoot {
                (status, body) = try await onThread {
                    try runCurlAsNobody(setpriv: setpriv, curl: curl, socket: path, method: "POST",
                                        url: "http://seal/v1/models/x/load")
                }
                let read = try await onThread {
                    try runCurlAsNobody(setpriv: setpriv, curl: curl, socket: path, method: "GET",
                                        url: "http://seal/v1/models")
                }
                #expect(read.status == 200, "reading stays open to anyone who can connect")
            } else {
                let reply = try await onThread { try RawHTTPClient(path: path).request("POST", "/v1/models/x/load") }
                (status, body) = (reply.status, reply.text)
            }
            #expect(status == 403)
            let error = try JSONDecoder().decode(ErrorBody.self, from: Data(body.utf8))
            #expect(error.error.code == "forbidden")
            let uid = asRoot ? 65534 : Int(getuid())
            #expect(error.error.message.hasPrefix("uid \(uid) (pid "))
            #expect(error.error.message.hasSuffix(") is not in the admin group 'sealadm'"))

            // A reload that makes the peer's user the daemon's own takes effect for the next request.
            server.updateAccessPolicy(AccessPolicy(daemonUID: uid_t(uid), adminGroup: admins))
            let retried: Int
            if asRoot {
                retried = try await onThread {
                    try runCurlAsNobody(setpriv: setpriv, curl: curl, socket: path, method: "POST",
                                        url: "http://seal/v1/models/x/load")
                }.status
            } else {
                retried = try await onThread { try RawHTTPClient(path: path).request("POST", "/v1/models/x/load") }.status
            }
            #expect(retried == 200)
        }
    }
}

/// Runs curl as uid/gid 65534 with no supplementary groups; returns status and body.
private func runCurlAsNobody(setpriv: String, curl: String, socket: String, method: String,
                             url: String) throws -> (status: Int, body: String) {
    let (_, text) = try Subprocess.run(setpriv, [
        "--reuid=65534", "--regid=65534", "--clear-groups", curl, "-s", "--max-time", "10",
        "--unix-socket", socket, "-X", method, "-w", "\n%{http_code}", url,
    ])
    guard let newline = text.lastIndex(of: "\n"), let status = Int(text[text.index(after: newline)...]) else {
        throw RawHTTPClient.Failure(description: "unexpected curl output: \(text)")
    }
    return (status, String(text[..<newline]))
}
