@testable import ConnectorKit
import Foundation
import Testing

@Suite("Partitions")
struct PartitionTests {
    static func date(_ iso: String) -> Date { ISO8601DateFormatter().date(from: iso) ?? Date(timeIntervalSince1970: 0) }

    @Test(
        "fiscal quarters: current and previous, oldest first",
        arguments: [
            ("2026-11-22T00:00:00Z", 1, 4, ["2025_Q4", "2026_Q1", "2026_Q2", "2026_Q3", "2026_Q4"]),
            ("2026-02-01T00:00:00Z", 1, 1, ["2025_Q4", "2026_Q1"]),
            ("2026-02-01T00:00:00Z", 2, 0, ["2027_Q1"]),  // FY2027 starts Feb 2026
            ("2026-01-15T00:00:00Z", 2, 0, ["2026_Q4"]),
        ])
    func quarters(_ now: String, _ startMonth: Int, _ previous: Int, _ expected: [String]) {
        #expect(
            PartitionExpander.fiscalQuarters(
                now: Self.date(now), current: true, previous: previous, fiscalYearStartMonth: startMonth) == expected)
    }

    @Test("monthly windows cover the range without gaps")
    func windows() {
        let w = PartitionExpander.timeWindows(
            start: "2024-01-01T00:00:00Z", end: "2024-04-15T00:00:00Z", interval: .month, now: Date())
        #expect(
            w.map(\.start) == [
                "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z", "2024-03-01T00:00:00Z", "2024-04-01T00:00:00Z",
            ])
        #expect(w.last?.end == "2024-04-15T00:00:00Z")
        for (a, b) in zip(w, w.dropFirst()) { #expect(a.end == b.start) }
    }

    @Test("partitions combine as a product; their values become columns; an unset list skips")
    func product() {
        let at = SpecLocation(file: "f", line: 1, column: 1)
        let parts = [
            PartitionSpec(name: "id", kind: .list(values: ["a", "b"], unsetVariables: []), location: at),
            PartitionSpec(
                name: "q", kind: .fiscalQuarters(current: true, previous: 1, fiscalYearStartMonth: 1), location: at),
        ]
        let (items, note) = PartitionExpander.expand(parts, now: Self.date("2026-05-01T00:00:00Z"))
        #expect(note == nil)
        #expect(items.map(\.key) == ["id=a,q=2026_Q1", "id=a,q=2026_Q2", "id=b,q=2026_Q1", "id=b,q=2026_Q2"])
        #expect(items[3].extras.map(\.name) == ["id", "q"])
        let (none, skip) = PartitionExpander.expand([
            PartitionSpec(name: "id", kind: .list(values: [], unsetVariables: ["IDS"]), location: at)
        ])
        #expect(none.isEmpty)
        #expect(skip?.contains("IDS is not set") == true)
    }
}
