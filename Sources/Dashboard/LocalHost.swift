/// Which Host headers the dashboard answers: only names of this machine's loopback, with or
/// without this port. Anything else (a DNS name rebound to 127.0.0.1, a missing header) is
/// refused, so a web page elsewhere cannot read the dashboard through the browser.
public enum LocalHost {
    static let names: Set<String> = ["127.0.0.1", "localhost", "[::1]"]

    public static func allows(_ host: String?, port: Int) -> Bool {
        guard let host = host?.lowercased(), !host.isEmpty else { return false }
        if names.contains(host) { return true }
        return names.contains { host == "\($0):\(port)" }
    }
}
