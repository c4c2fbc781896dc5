import Foundation
import SealTestSupport
import Testing

/// The systemd units and sysusers file shipped in packaging/ are checked with
/// systemd's own offline tools, so a typo in a directive fails the build instead
/// of being ignored with a warning on a user's machine.
@Suite("Packaging", .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze")))
struct PackagingTests {
    static let packaging = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("packaging")

    /// `systemd-analyze verify` needs every Exec*= binary to exist. /usr/bin/seald exists
    /// only on an installed system, so the test verifies copies of the units in a
    /// temporary directory with ExecStart='s binary replaced by /bin/true (arguments kept);
    /// nothing else is changed. verify exits 0 even for unknown directives, which it only
    /// reports as warnings, so the test requires its output to be empty as well.
    /// (User=seal need not exist: verify does not resolve users.)
    @Test func unitsPassSystemdAnalyzeVerify() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let service = try String(contentsOf: Self.packaging.appendingPathComponent("seald.service"), encoding: .utf8)
        #expect(service.contains("\nExecStart=/usr/bin/seald --config /etc/seal/seald.yaml\n"))
        let seald = "/usr/bin/seald"
        let rewritten = FileManager.default.isExecutableFile(atPath: seald)
            ? service : service.replacingOccurrences(of: "\nExecStart=\(seald) ", with: "\nExecStart=/bin/true ")
        try rewritten.write(toFile: directory + "/seald.service", atomically: true, encoding: .utf8)
        // The TCP units need no rewriting: systemd-socket-proxyd ships with systemd.
        for unit in ["seald.socket", "seald-tcp.socket", "seald-tcp.service"] {
            try FileManager.default.copyItem(atPath: Self.packaging.appendingPathComponent(unit).path,
                                             toPath: directory + "/" + unit)
        }
        let units = ["seald.service", "seald.socket", "seald-tcp.socket", "seald-tcp.service"].map { directory + "/" + $0 }
        let (status, output) = try run("/usr/bin/systemd-analyze", ["verify", "--man=no"] + units)
        #expect(status == 0)
        #expect(output.isEmpty, "systemd-analyze verify reported:\n\(output)")
    }

    @Test func unitsCarryTheRequiredSettings() throws {
        let service = try String(contentsOf: Self.packaging.appendingPathComponent("seald.service"), encoding: .utf8)
        let socket = try String(contentsOf: Self.packaging.appendingPathComponent("seald.socket"), encoding: .utf8)
        for line in ["Type=notify", "User=seal", "Group=seal", "RuntimeDirectory=seal", "StateDirectory=seal",
                     "ConfigurationDirectory=seal", "NoNewPrivileges=yes", "ProtectSystem=strict",
                     "RestrictAddressFamilies=AF_UNIX", "MemoryDenyWriteExecute=yes", "CapabilityBoundingSet=",
                     "SystemCallFilter=@system-service", "Restart=on-failure", "ExecReload=/bin/kill -HUP $MAINPID",
                     // Room for server.max_connections (issue 6, item 6: 1,100 connections under the default 1024).
                     "LimitNOFILE=8192"] {
            #expect(service.split(separator: "\n").contains(Substring(line)), "seald.service lacks \(line)")
        }
        #expect(!service.split(separator: "\n").contains { $0.hasPrefix("Environment=OPENBLAS_CORETYPE") },
                "OPENBLAS_CORETYPE must stay a commented hint")
        for line in ["ListenStream=/run/seal/seald.sock", "SocketMode=0660", "SocketGroup=seal", "Accept=no",
                     "RemoveOnStop=yes", "WantedBy=sockets.target"] {
            #expect(socket.split(separator: "\n").contains(Substring(line)), "seald.socket lacks \(line)")
        }
    }

    /// TCP goes through systemd-socket-proxyd as a transient user that may open the
    /// socket (group seal) but is not an administrator; the port is written once.
    @Test func tcpUnitsProxyAsAnUnprivilegedUserWithThePortInOnePlace() throws {
        let socket = try String(contentsOf: Self.packaging.appendingPathComponent("seald-tcp.socket"), encoding: .utf8)
        let service = try String(contentsOf: Self.packaging.appendingPathComponent("seald-tcp.service"), encoding: .utf8)
        let socketLines = socket.split(separator: "\n")
        let listen = socketLines.filter { $0.hasPrefix("ListenStream=") }
        #expect(listen == ["ListenStream=127.0.0.1:11435"], "one loopback listener: \(listen)")
        let serviceLines = service.split(separator: "\n")
        for line in ["ExecStart=/lib/systemd/systemd-socket-proxyd /run/seal/seald.sock", "DynamicUser=yes",
                     "SupplementaryGroups=seal", "NoNewPrivileges=yes", "PrivateNetwork=yes", "RestrictAddressFamilies=AF_UNIX"] {
            #expect(serviceLines.contains(Substring(line)), "seald-tcp.service lacks \(line)")
        }
        #expect(!serviceLines.contains { $0.hasPrefix("User=") || $0.hasPrefix("Group=") }, "the proxy must not run as seal or root")
        // The port appears in no other shipped file (the docs point to the socket unit).
        for other in ["seald-tcp.service", "seald.service", "seald.socket"] {
            let text = try String(contentsOf: Self.packaging.appendingPathComponent(other), encoding: .utf8)
            #expect(!text.contains("11435"), "\(other) repeats the port")
        }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-sysusers")))
    func sysusersFileParses() throws {
        let file = Self.packaging.appendingPathComponent("seal.sysusers").path
        let (status, output) = try run("/usr/bin/systemd-sysusers", ["--dry-run", file])
        #expect(status == 0)
        #expect(!output.contains("seal.sysusers:"), "systemd-sysusers reported:\n\(output)")
    }

    private func run(_ tool: String, _ arguments: [String]) throws -> (Int32, String) {
        try Subprocess.run(tool, arguments)
    }
}
