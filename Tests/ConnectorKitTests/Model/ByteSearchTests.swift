import Testing

@testable import ConnectorKit

/// The byte search that replaced Foundation's `range(of:)` on per-request paths finds what
/// `range(of:)` found for the ASCII syntax it looks for, in strings and substrings.
@Suite("Byte search in text")
struct ByteSearchTests {
    @Test(
        "finds the first occurrence, or nothing",
        arguments: [
            ("https://a.test/x", "://", 5),
            ("a{b}{c}", "{", 1),
            ("${A:-x}", ":-", 3),
            ("näme{id}", "{id}", 5),  // after a two-byte character
            ("aaab", "aab", 1),  // a partial match first
            ("abc", "abcd", nil),  // needle longer than the text
            ("abc", "", nil),  // like range(of:), an empty needle is not found
            ("", "a", nil),
            ("ab", "b", 1),  // at the very end
        ] as [(String, String, Int?)])
    func firstRange(text: String, needle: String, offset: Int?) {
        let found = text.firstByteRange(of: needle)
        #expect(found.map { text.utf8.distance(from: text.startIndex, to: $0.lowerBound) } == offset)
        if let found { #expect(String(text[found]) == needle) }
        #expect(text.containsBytes(needle) == (offset != nil))
        let sub = ("<" + text + ">").dropFirst().dropLast()
        #expect(sub.firstByteRange(of: needle).map { String(sub[$0]) } == found.map { String(text[$0]) })
    }

    @Test(
        "origins: scheme and host lower-cased, the default port made explicit",
        arguments: [
            ("HTTPS://API.Example.com/v1?x=1", "https://api.example.com:443"),
            ("http://127.0.0.1:8080/a", "http://127.0.0.1:8080"),
            ("http://user:pw@host/a", "http://host:80"),
            ("http://[::1]/a", "http://[::1]:80"),
            ("http://[::1]:9/a", "http://[::1]:9"),
            ("/relative/path", nil),
            ("https://h?x=a/b", "https://h:443"), ("https://h#f/g", "https://h:443"), ("HTTP://H", "http://h:80"),
            ("https://a@b@Host:1/x@y", "https://host:1"), ("https://[::1]", "https://[::1]:443"),
            ("https://ÜBER.example/a", "https://über.example:443"), ("https://h/ä?x=ö", "https://h:443"),
            ("no scheme, ünïcode", nil), ("x:/", nil), ("", nil),
        ] as [(String, String?)])
    func origin(url: String, origin: String?) {
        #expect(URLText.origin(url) == origin)
    }
}
