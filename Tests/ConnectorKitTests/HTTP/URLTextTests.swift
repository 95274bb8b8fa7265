@testable import ConnectorKit
import Testing

/// Query strings are built for every page request: percent-encoding and setting parameters
/// must give the same text whatever characters the URL and the values hold.
@Suite struct URLTextTests {
    @Test(
        "encoding keeps unreserved bytes and writes every other byte as %XX",
        arguments: [
            ("abc-XYZ_0.9~", "abc-XYZ_0.9~"), ("a b&c=d/e?", "a%20b%26c%3Dd%2Fe%3F"),
            ("2024-01-01T00:00:00+01:00", "2024-01-01T00%3A00%3A00%2B01%3A00"), ("é€", "%C3%A9%E2%82%AC"), ("", ""),
        ])
    func encode(_ c: (String, String)) {
        #expect(URLText.encode(c.0) == c.1)
        #expect(URLText.decode(c.1) == c.0)
    }

    @Test(
        "setting parameters replaces those of the same name and keeps the rest in order",
        arguments: [
            ("https://h/p", [("a", "1")], "https://h/p?a=1"),
            ("https://h/p?a=0&b=2", [("a", "1")], "https://h/p?b=2&a=1"),
            ("https://h/ü/p?x%20y=1&b=2", [("x y", "3"), ("c", "&")], "https://h/ü/p?b=2&x%20y=3&c=%26"),
            ("https://h/p?b=2", [], "https://h/p?b=2"),
        ])
    func settingQuery(_ c: (String, [(String, String)], String)) {
        #expect(URLText.settingQuery(c.0, c.1) == c.2)
    }
}
