import Testing

@testable import Dashboard

@Suite("Dashboard Host header (DNS rebinding)")
struct LocalHostTests {
    @Test(
        "only loopback names, with or without this port, are answered",
        arguments: [
            ("127.0.0.1:8765", true), ("localhost:8765", true), ("[::1]:8765", true), ("LOCALHOST", true),
            ("127.0.0.1", true), ("evil.example:8765", false), ("127.0.0.1:9999", false),
            ("127.0.0.1.evil.example:8765", false), ("", false), (nil, false),
        ] as [(String?, Bool)])
    func hosts(host: String?, allowed: Bool) {
        #expect(LocalHost.allows(host, port: 8765) == allowed)
    }
}
