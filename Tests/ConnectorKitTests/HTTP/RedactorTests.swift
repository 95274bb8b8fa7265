@testable import ConnectorKit
import Foundation
import Testing

/// A secret must not survive in any form a message or a stored request can carry it.
@Suite("Redaction of every form a secret takes")
struct RedactorTests {
    static let spaced = "open sesame/42+\"x\""
    static let newline = "HDRSECRET111\n"

    /// (what, secret, text that carries it)
    static let cases: [(String, String, String)] = [
        ("raw", spaced, "error: key \(spaced) rejected"),
        ("JSON-escaped", spaced, #"{"key": "open sesame/42+\"x\""}"#),
        ("escaped trailing newline", newline, #"invalid header value "HDRSECRET111\n""#),
        ("trimmed of its newline", newline, "key HDRSECRET111 rejected"),
        ("percent-encoded", spaced, "GET /x?key=open%20sesame%2F42%2B%22x%22"),
        ("percent-encoded, lower-case hex", spaced, "GET /x?key=open%20sesame%2f42%2b%22x%22"),
        ("form-encoded", spaced, "next=/x?key=open+sesame%2F42%2B%22x%22&page=2"),
        ("base64", spaced, "got " + Data(spaced.utf8).base64EncodedString()),
        ("base64 without padding", "abcde", "got YWJjZGU"),
        ("a decomposed spelling of a composed secret", "café-secret-1", "token=cafe\u{301}-secret-1"),
        ("a composed spelling of a decomposed secret", "cafe\u{301}-secret-2", "token=café-secret-2"),
        ("followed by a combining mark", "Secret99", "x Secret99\u{301} y"),
        (
            "basic auth user:password", "svc:pa ss",
            "Authorization: Basic " + Data("svc:pa ss".utf8).base64EncodedString()
        ),
    ]

    @Test("each form is replaced", arguments: cases)
    func form(_ what: String, _ secret: String, _ text: String) {
        let out = Redactor(secrets: [secret]).redact(text)
        #expect(out.containsBytes(of: "***"), "\(what): nothing redacted in \(out)")  // "***" may take a combining mark
        for leftover in [
            secret, secret.trimmingCharacters(in: .whitespacesAndNewlines), Data(secret.utf8).base64EncodedString(),
        ] {
            #expect(!out.contains(leftover), "\(what): \(out)")
        }
    }

    @Test("a parameter that carries a secret by name is masked in URLs whatever its value")
    func byName() {
        let r = Redactor(secrets: [], secretParameters: ["Api_Key"])
        #expect(r.redactURL("https://h/x?api_key=unknown+value&page=2") == "https://h/x?api_key=***&page=2")
    }

    @Test("a stored next request drops secret parameters by name, in any encoding")
    func checkpointByName() {
        let r = Redactor(secrets: ["my secret key 42"], secretParameters: ["api_key"])
        let record = PageRequestRecord(
            PageRequest(
                method: "GET", url: "http://h/x?page=3&api_key=my+secret+key+42&q=a",
                params: [("api_key", "other"), ("limit", "10")], body: nil)
        ).redacted(by: r)
        #expect(record.url == "http://h/x?page=3&q=a")
        #expect(record.params == [["limit", "10"]])
    }

    @Test("off the configured origin, what carries a secret is stripped; at home, auth is added")
    func scope() async throws {
        let scope = CredentialScope(
            origin: URLText.origin("http://home:8080/v1"),
            redactor: Redactor(secrets: ["hdr-secret-1", "par am-2"], secretParameters: ["api_key"]))
        let auth = APIKeyAuth(headers: [("X-Key", "auth-secret")], query: [])
        var away = HTTPRequest(
            url: "http://other:8080/x?api_key=zz&t=par+am-2&plain=1",
            headers: [("X-Custom", "Bearer hdr-secret-1"), ("Accept", "application/json")])
        let context = RequestContext(resource: "r", auth: auth, redactor: scope.redactor)
        try await scope.scope(&away, context: context)
        #expect(away.url == "http://other:8080/x?plain=1")
        #expect(away.headers.map(\.0) == ["Accept"])
        var home = HTTPRequest(url: "http://home:8080/x", headers: [("X-Custom", "hdr-secret-1")])
        try await scope.scope(&home, context: context)
        #expect(home.headers.map(\.0) == ["X-Custom", "X-Key"])
    }

    @Test("a header value with a line break cannot be sent, and the check names the header")
    func invalidHeader() {
        #expect(HeaderCheck.firstInvalid([("Accept", "a"), ("X-Api-Key", "HDRSECRET111\n")])?.name == "X-Api-Key")
        #expect(HeaderCheck.firstInvalid([("Bad Name", "v")])?.name == "Bad Name")
        #expect(HeaderCheck.firstInvalid([("Accept", "a\tb")]) == nil)
    }

    /// (haystack, needle, whether it occurs): the exact byte search redaction uses.
    static let searches: [(String, String, Bool)] = [
        ("token=abc123", "abc123", true),
        ("abc123 at the start", "abc123", true),
        ("aab", "ab", true),  // a first byte that matches, then the real start
        ("abababac", "ababac", true),
        ("abc12", "abc123", false),  // a prefix at the end
        ("short", "much longer needle", false),
        ("no match here", "xyz", false),
        ("anything", "", true),
        ("clé=sécret-ü", "sécret-ü", true),
        ("cle=secret", "sécret", false),
        ("a\u{0}b secret", "secret", true),
    ]

    @Test("the byte search finds exactly the occurrences", arguments: searches)
    func byteSearch(_ haystack: String, _ needle: String, _ found: Bool) {
        #expect(haystack.containsBytes(of: needle) == found, "\(needle) in \(haystack)")
        #expect(
            Redactor(secrets: [needle]).carriesSecret(haystack) == (found && needle.count >= Redactor.minimumLength))
    }

    @Test("of two secrets alike in characters, the longer in bytes is replaced whole")
    func longerInBytesFirst() {
        // Hangul jamo join into one character: both secrets count 4 characters.
        let (short, long) = ("abc\u{1100}", "abc\u{1100}\u{1161}\u{11A8}")
        let out = Redactor(secrets: [short, long]).redact("key=" + long)
        #expect(!out.unicodeScalars.contains("\u{1161}") && !out.unicodeScalars.contains("\u{11A8}"), "\(out)")
    }

    @Test("a secret ending in NUL is replaced, in ASCII text and not, without Foundation's search")
    func secretEndingInNUL() {
        let redactor = Redactor(secrets: ["abcd\u{0}"])
        #expect(redactor.redact("é id=abcd") == "é id=abcd")
        #expect(redactor.redact("é id=abcd\u{0}!") == "é id=***!")
        #expect(redactor.redact("id=abcd\u{0}!") == "id=***!")
    }
}
