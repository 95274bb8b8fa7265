@testable import ConnectorKit
import Testing

/// Cursor conversion both ways: how records carry a time cursor and how the API wants it in a
/// request. Every format reads what it writes, compares by instant, and a pattern the spec
/// gets wrong is refused where it is written.
@Suite("Cursor formats")
struct CursorFormatTests {
    static func incremental(_ keys: String) throws -> IncrementalSpec {
        let yaml = "      - {name: items, endpoint: {path: items, incremental: {cursor_path: at, \(keys)}}}"
        let project = try TestPipeline.project(baseURL: "http://127.0.0.1:1", resourceYAML: yaml)
        return try #require(project.sources.first?.resources.first?.endpoint.incremental)
    }

    /// (keys, record value, request value): the value records carry, written as the API wants it.
    static let conversions: [(String, String, String)] = [
        // Jira: ISO with a +hhmm offset in records, minutes in JQL, floor for a start.
        (#"request_format: "yyyy-MM-dd HH:mm""#, "2025-03-01T10:15:30.000+0000", "2025-03-01 10:15"),
        (#"request_format: "yyyy-MM-dd HH:mm""#, "2025-03-01T12:15:30.000+0200", "2025-03-01 10:15"),
        (#"request_format: "%Y-%m-%d %H:%M""#, "2025-03-01T10:15:30Z", "2025-03-01 10:15"),
        (#"request_format: "yyyy-MM-dd'T'HH:mm:ss.SSS""#, "2025-03-01T10:15:30.250Z", "2025-03-01T10:15:30.250"),
        ("request_format: epoch_seconds", "2025-03-01T00:00:00Z", "1740787200"),
        ("request_format: epoch_millis", "2025-03-01T00:00:00.5Z", "1740787200500"),
        ("request_format: date", "2025-03-01T23:59:59-01:00", "2025-03-02"),
        ("{cursor_format: epoch_millis, request_format: iso8601}", "1740787200500", "2025-03-01T00:00:00.500Z"),
        ("{cursor_format: epoch_seconds, request_format: date}", "1740787200", "2025-03-01"),
        ("{cursor_format: \"dd/MM/yyyy\", request_format: iso8601}", "01/03/2025", "2025-03-01T00:00:00Z"),
        ("lookback: 0s", "anything-goes", "anything-goes"),  // no request_format: as the records have it
    ]

    @Test("a cursor is written in the request_format", arguments: conversions)
    func conversion(_ c: (String, String, String)) throws {
        let keys = c.0.hasPrefix("{") ? String(c.0.dropFirst().dropLast()) : c.0
        let spec = try Self.incremental(keys)
        #expect(spec.requestValue(c.1) == c.2, "\(c.0): \(c.1)")
    }

    @Test("an end bound is rounded up to the request format's precision, a start down")
    func endRoundsUp() throws {
        let spec = try Self.incremental(#"request_format: "yyyy-MM-dd HH:mm""#)
        #expect(spec.requestValue("2025-03-01T10:15:30Z", isEnd: false) == "2025-03-01 10:15")
        #expect(spec.requestValue("2025-03-01T10:15:30Z", isEnd: true) == "2025-03-01 10:16")
        #expect(spec.requestValue("2025-03-01T10:15:00Z", isEnd: true) == "2025-03-01 10:15")
        let day = try Self.incremental("request_format: date")
        #expect(day.requestValue("2025-03-01T00:00:01Z", isEnd: true) == "2025-03-02")
    }

    @Test("a lookback moves a stored cursor back by instant and keeps the records' format")
    func lookbackKeepsFormat() throws {
        let millis = try Self.incremental("cursor_format: epoch_millis, lookback: 1h")
        let stored = ResourceState(cursors: ["": "1740787200500"])
        #expect(try ItemRequest.incrementalStart(millis, itemKey: "", storedState: stored) == "1740783600000")
        let iso = try Self.incremental("lookback: 1d")
        let offset = ResourceState(cursors: ["": "2025-03-02T01:00:00.000+0100"])
        #expect(try ItemRequest.incrementalStart(iso, itemKey: "", storedState: offset) == "2025-03-01T00:00:00Z")
    }

    /// (format, earlier, later): in a declared format values compare by instant, not as text.
    static let orderings: [(CursorFormat?, String, String)] = [
        (.epochMillis, "999", "1000"),
        (.iso8601, "2025-03-01T12:00:00+02:00", "2025-03-01T11:00:00Z"),
        (.epochSeconds, "-1", "0"),
        (nil, "2025-03-01T12:00:00.000+0200", "2025-03-01T10:00:01.000+0000"),
    ]

    @Test("cursors compare by instant whatever their text", arguments: orderings)
    func ordering(_ c: (CursorFormat?, String, String)) {
        #expect(CursorValue.isGreater(c.2, than: c.1, format: c.0))
        #expect(!CursorValue.isGreater(c.1, than: c.2, format: c.0))
    }

    /// (keys, column of the bad value, message part).
    static let refused: [(String, String)] = [
        (#"request_format: "YYYY-MM-dd""#, "unknown token 'YYYY' (valid: yyyy MM dd HH mm ss SSS"),
        (#"request_format: "yyyy-MM-dd hh:mm""#, "unknown token 'hh'"),
        (#"request_format: "%Y-%m-%d %I""#, "unknown directive '%I'"),
        (#"request_format: "HH:mm""#, "a pattern needs a year, a month and a day"),
        (#"cursor_format: epoch_millis, initial_value: "2025-01-01""#, "is not written in the cursor_format"),
        (#"initial_value: "2025-02-01T00:00:00Z", end_value: "2025-01-01T00:00:00Z""#, "must come after initial_value"),
        ("on_cursor_value_missing: skip", "not one of: raise, include, exclude"),
        (
            #"initial_value: "2025-01-01"}, params: {q: "{incremental.end_value}""#,
            "{incremental.end_value} needs an incremental with end_value"
        ),
    ]

    @Test("a wrong format, value or policy is refused at load, where it is written", arguments: refused)
    func refusedAtLoad(_ c: (String, String)) throws {
        expectRefused(c.1, at: "test.yaml:8:") { try Self.incremental(c.0) }
    }
}
