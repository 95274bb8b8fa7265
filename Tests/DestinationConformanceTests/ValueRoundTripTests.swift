import ConnectorKit
import Foundation
@testable import PostgresDestination
import Testing

/// One value as a record holds it (JSON) and as the destination gives it back (text; nil is NULL).
/// `sqlite` is what SQLite's reader shows where it differs: it prints doubles with 15 digits.
struct RoundTripCase: Sendable, CustomTestStringConvertible {
    let json: String
    let expected: String?
    var sqlite: String?? = .none
    var testDescription: String { json }

    func expected(_ kind: DestinationKind) -> String? {
        if kind == .sqlite, let sqlite { return sqlite }
        return expected
    }

    /// Texts that PostgreSQL's COPY format must escape, or that look like its markers (`\N` is its
    /// NULL, `\.` its end of data), next to the plain ones; loaded together as rows of one column so
    /// that a wrong escape shows as a changed value or a row cut in two.
    static let texts: [RoundTripCase] = [
        .init(json: #""""#, expected: ""),
        .init(json: "null", expected: nil),
        .init(json: #""NULL""#, expected: "NULL"),
        .init(json: #""a\tb""#, expected: "a\tb"),
        .init(json: #""line1\nline2\n""#, expected: "line1\nline2\n"),
        .init(json: #""cr\r\nlf\r""#, expected: "cr\r\nlf\r"),
        .init(json: #""back\\slash\\""#, expected: "back\\slash\\"),
        .init(json: #""\\N""#, expected: "\\N"),
        .init(json: #""\\.""#, expected: "\\."),
        .init(json: #""\\t is no tab, \\n no newline, \\\\ two""#, expected: "\\t is no tab, \\n no newline, \\\\ two"),
        .init(json: #""\t\\\t\n\\\n""#, expected: "\t\\\t\n\\\n"),
        .init(json: #""quotes \" and ' and ,;|""#, expected: "quotes \" and ' and ,;|"),
        .init(json: #"" spaces ""#, expected: " spaces "),
        .init(json: #""\u0001 controls \u001f\u007f""#, expected: "\u{1} controls \u{1F}\u{7F}"),
        .init(json: #""ünïcødé 日本 🎉 \u2028""#, expected: "ünïcødé 日本 🎉 \u{2028}"),
        // Longer than a word (the escaper checks eight bytes at a time): marks on and next to its edges.
        .init(json: #""0123456\t89abcdef\nhijklmn\\""#, expected: "0123456\t89abcdef\nhijklmn\\"),
        .init(json: #""01234567\r9abcdef0123456789""#, expected: "01234567\r9abcdef0123456789"),
        .init(json: #""clean text of thirty-one bytes!""#, expected: "clean text of thirty-one bytes!"),
        .init(json: #""日本語のテキスト\n改行の後""#, expected: "日本語のテキスト\n改行の後"),
    ]

    /// Values of the other types, each in a column of its own type.
    static let typed: [RoundTripCase] = [
        .init(json: "9223372036854775807", expected: "9223372036854775807"),
        .init(json: "-9223372036854775808", expected: "-9223372036854775808"),
        .init(json: "0", expected: "0"),
        .init(json: "0.1", expected: "0.1"),
        .init(json: "1e-05", expected: "1e-05", sqlite: "1.0e-05"),
        .init(json: "5e-324", expected: "5e-324", sqlite: "4.94065645841247e-324"),
        .init(json: "1.7976931348623157e308", expected: "1.7976931348623157e+308", sqlite: "1.79769313486232e+308"),
        .init(json: "0.30000000000000004", expected: "0.30000000000000004", sqlite: "0.3"),
        .init(json: "true", expected: "true", sqlite: "1"),
        .init(json: "false", expected: "false", sqlite: "0"),
        .init(json: #""2024-02-29T23:59:59.123Z""#, expected: "2024-02-29T23:59:59.123Z"),
    ]
}

/// Every value reaches the destination exactly, whatever way a destination stages rows (PostgreSQL:
/// `COPY` text format, where tabs, newlines, backslashes and `\N` are markers).
@Suite("Destination value round trip")
struct ValueRoundTripTests {
    @Test("texts that look like COPY markers arrive as sent, row for row", arguments: DestinationKind.available)
    func texts(_ kind: DestinationKind) async throws {
        let h = try Harness(kind)
        let cases = RoundTripCase.texts
        let records = cases.enumerated().map { #"{"id":\#($0.offset),"v":\#($0.element.json)}"# }
        // Twice in one load: the rows of the second half start after every escape of the first.
        let twice = records + records.indices.map { #"{"id":\#($0 + cases.count),"v":\#(cases[$0].json)}"# }
        try await h.load("[" + twice.joined(separator: ",") + "]", disposition: .append)
        let rows = try await h.rows("SELECT v FROM t ORDER BY id")
        #expect(rows == (cases + cases).map { [$0.expected(kind)] })
    }

    @Test(
        "numbers, booleans and timestamps arrive exactly", arguments: DestinationKind.available, RoundTripCase.typed)
    func typed(_ kind: DestinationKind, _ value: RoundTripCase) async throws {
        let h = try Harness(kind)
        try await h.load(#"[{"id":1,"v":\#(value.json)},{"id":2,"v":null}]"#, disposition: .append)
        #expect(try await h.rows("SELECT v FROM t ORDER BY id") == [[value.expected(kind)], [nil]])
    }

    @Test("a value of another type goes to its variant column exactly", arguments: DestinationKind.available)
    func variant(_ kind: DestinationKind) async throws {
        let h = try Harness(kind)
        try await h.load(
            #"[{"id":1,"x":7},{"id":2,"x":"a\tb\\N"},{"id":3,"x":""}]"#, disposition: .merge, primaryKey: ["id"])
        #expect(
            try await h.rows("SELECT x, x__v_text FROM t ORDER BY id") == [["7", nil], [nil, "a\tb\\N"], [nil, ""]])
    }

    @Test("a text with a NUL character fails a PostgreSQL load loudly and changes nothing")
    func nulCharacter() async throws {
        guard DestinationKind.available.contains(.postgres) else { return }
        let h = try Harness(.postgres)
        try await h.load(#"[{"id":1,"v":"kept"}]"#, disposition: .append)
        await #expect {
            try await h.load(#"[{"id":2,"v":"a\u0000b"}]"#, disposition: .append)
        } throws: { error in
            "\(error)".contains("column 'v'") && "\(error)".contains("NUL")
        }
        await #expect {  // past the first eight bytes
            try await h.load(#"[{"id":3,"v":"0123456789\u0000"}]"#, disposition: .append)
        } throws: { error in
            "\(error)".contains("column 'v'") && "\(error)".contains("NUL")
        }
        #expect(try await h.rows("SELECT id, v FROM t") == [["1", "kept"]])
    }
}
