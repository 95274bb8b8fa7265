import ConnectorKit
import Foundation
import Testing

/// String literals written by hand (checkpoints, request bodies, JSON lines) must read back as
/// the same string in any JSON reader.
@Suite struct JSONTextTests {
    @Test(
        "quoting escapes quotes, backslashes and control characters and keeps the rest",
        arguments: [
            ("plain", #""plain""#), (#"a"b\c"#, #""a\"b\\c""#), ("l1\nl2\r\t", #""l1\nl2\r\t""#),
            ("\u{0}\u{1}\u{1f}\u{7f}", #""\u0000\u0001\u001f\#u{7f}""#), ("é€😀", #""é€😀""#), ("", #""""#),
        ])
    func quote(_ c: (String, String)) {
        #expect(JSONText.quote(c.0) == c.1)
    }

    @Test("every ASCII character and some beyond read back as themselves")
    func roundTrip() throws {
        let text = String(decoding: (0..<128).map { UInt8($0) }, as: UTF8.self) + "ü€😀\u{2028}"
        let back = try JSONDecoder().decode([String].self, from: Data(("[" + JSONText.quote(text) + "]").utf8))
        #expect(back == [text])
    }
}
