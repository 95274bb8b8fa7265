@testable import ConnectorKit
import Testing

/// Header names match whatever their case, and only when they are the same name: the byte-wise
/// folding must not take neighbours of the letters (`@` and `` ` ``, `[` and `{`) for letters.
@Suite("Header names compare without regard to case")
struct HeaderNameTests {
    /// (name, other, same header)
    static let cases: [(String, String, Bool)] = [
        ("Content-Type", "content-type", true),
        ("X-RateLimit-Remaining", "x-ratelimit-remaining", true),
        ("RETRY-AFTER", "Retry-After", true),
        ("Link", "Link", true),
        ("Retry-After", "Retry-Afte", false),
        ("X-Api-Key", "X-Api-Kez", false),
        ("a@b", "a`b", false),
        ("a[b", "a{b", false),
        ("", "", true),
        ("Überschrift", "überschrift", true),
    ]

    @Test("same name, any case; another name never", arguments: cases)
    func matching(name: String, other: String, same: Bool) {
        #expect(HeaderName.same(name, other) == same)
        #expect(HeaderName.same(other, name) == same)
    }

    @Test("an answer's header is found whatever the case it came in")
    func lookup() {
        let response = HTTPResponse(status: 200, headers: [("x-ratelimit-limit", "10"), ("Link", "<a>")], body: [])
        #expect(response.header("X-RateLimit-Limit") == "10")
        #expect(response.header("LINK") == "<a>")
        #expect(response.header("Retry-After") == nil)
    }
}
