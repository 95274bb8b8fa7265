import ConnectorKit
import Testing

/// The incremental cursor keeps the greatest value seen; "greatest" must mean latest for
/// timestamps (whatever their offset or precision) and largest for numbers.
@Suite("Cursor ordering")
struct CursorValueTests {
    static let cases: [(String, String, Bool)] = [
        ("2026-11-22T10:00:01Z", "2026-11-22T10:00:00Z", true),  // same format: fast path
        ("2026-11-22T10:00:00Z", "2026-11-22T10:00:01Z", false),
        ("2026-11-22T10:00:00Z", "2026-11-22T10:00:00Z", false),  // equal is not greater
        ("2027-01-01T00:00:00Z", "2026-12-31T23:59:59Z", true),  // fast path: first byte that differs decides
        ("2026-11-22T10:00:00.124Z", "2026-11-22T10:00:00.123Z", true),
        ("2026-11-22T10:00:00.123Z", "2026-11-22T10:00:00.124Z", false),
        ("2026-11-22T10:00:00.5Z", "2026-11-22T10:00:00Z", true),  // different precision
        ("2026-11-22T10:00:00Z", "2026-11-22T10:00:00.5Z", false),
        ("2026-11-22T12:00:00+01:00", "2026-11-22T10:30:00Z", true),  // offsets compare by instant
        ("2026-11-22T10:00:00+01:00", "2026-11-22T09:30:00Z", false),
        ("10", "9", true),  // numbers, not text
        ("9.5", "10", false),
        ("b", "a", true),
    ]

    @Test("greater means later or larger", arguments: cases)
    func ordering(_ c: (String, String, Bool)) {
        #expect(CursorValue.isGreater(c.0, than: c.1) == c.2, "\(c.0) > \(c.1)")
    }
}
