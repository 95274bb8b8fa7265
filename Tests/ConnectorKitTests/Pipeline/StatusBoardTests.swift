@testable import ConnectorKit
import Testing

/// The live status a terminal redraws in place, drawn on a fake width and clock: one line per
/// running resource, never wider than the terminal, with an ETA only when a total is known.
@Suite("Status board")
struct StatusBoardTests {
    /// Two pipelines: one resource with an announced total, one without, one ended, one retry.
    static func board() -> StatusBoard {
        var board = StatusBoard()
        board.apply(.started(resource: "calls"), pipeline: "copilot", now: 0)
        board.apply(.started(resource: "audit_events"), pipeline: "core", now: 2)
        board.apply(.started(resource: "users"), pipeline: "copilot", now: 2)
        board.apply(
            .progress(
                resource: "calls",
                ProgressFigures(
                    pages: 4, rows: 1_200, records: 400, expectedRecords: 1_000,
                    elapsed: 4)), pipeline: "copilot", now: 4)
        board.apply(
            .progress(resource: "audit_events", ProgressFigures(pages: 2, rows: 20_000, records: 2_000, elapsed: 2)),
            pipeline: "core", now: 4)
        let failure = ExtractError(.transport, resource: "audit_events", url: "http://h/a", message: "refused")
        board.apply(
            .retrying(resource: "audit_events", RetryNotice(failure: failure, nextAttempt: 2, maxAttempts: 6, wait: 4)),
            pipeline: "core", now: 4)
        board.apply(.finished(ResourceReport(resource: "users", status: .succeeded)), pipeline: "copilot", now: 4)
        return board
    }

    @Test("each running resource has a line with pages, rows, rate, elapsed, ETA when a total is known, retries")
    func lines() {
        let lines = Self.board().block(width: 200, now: 5)
        #expect(lines.count == 3)
        #expect(lines[0] == "2 running, 1 ended")
        let calls = lines[1], audit = lines[2]
        for part in ["copilot/calls", "4 pages", "1,200 rows (40%)", "300 rows/s", "5.0 s", "ETA 5.0 s"] {
            #expect(calls.contains(part), "\(calls) lacks \(part)")
        }
        for part in ["core/audit_events", "20,000 rows", "10,000 rows/s", "3.0 s", "1 retry (retry 2/6)"] {
            #expect(audit.contains(part), "\(audit) lacks \(part)")
        }
        #expect(!audit.contains("ETA"), "no total, no ETA: \(audit)")
        #expect(!lines.joined().contains("users"), "an ended resource left the block")
    }

    @Test("no line reaches the terminal's last column, at any width", arguments: [10, 24, 40, 80])
    func width(_ columns: Int) {
        for line in Self.board().block(width: columns, now: 5) {
            #expect(line.count <= columns - 1, "\(line.count) columns at width \(columns): \(line)")
        }
    }

    @Test("plain lines carry the same figures and no escape codes")
    func plain() {
        let lines = Self.board().plainLines(now: 5)
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("  … copilot/calls, 4 pages, 1,200 rows (40%)"))
        #expect(!lines.joined().contains("\u{1B}"))
    }

    @Test("numbers and durations read as a person reads them")
    func text() {
        #expect(StatusText.grouped(1_234_567) == "1,234,567")
        #expect(StatusText.grouped(999) == "999")
        #expect(StatusText.duration(4.25) == "4.2 s" || StatusText.duration(4.25) == "4.3 s")
        #expect(StatusText.duration(65) == "1 m 05 s")
        #expect(StatusText.duration(7_380) == "2 h 03 m")
        #expect(StatusText.cut("abcdef", to: 4) == "abc…")
    }
}

/// Time left when no total was announced but the resource has several work items.
@Suite("Status board ETA by work items")
struct StatusBoardItemsTests {
    @Test("several items, none announced: ETA from the items finished; one item, no total: none")
    func byItems() {
        var board = StatusBoard()
        board.apply(.started(resource: "details"), pipeline: "p", now: 0)
        board.apply(.started(resource: "events"), pipeline: "p", now: 0)
        board.apply(
            .progress(
                resource: "details",
                ProgressFigures(
                    pages: 30, rows: 30, records: 30, items: 100, itemsDone: 25,
                    elapsed: 10)), pipeline: "p", now: 10)
        board.apply(
            .progress(resource: "events", ProgressFigures(pages: 3, rows: 300, records: 300, elapsed: 10)),
            pipeline: "p", now: 10)
        let lines = board.block(width: 200, now: 10)
        #expect(lines[1].contains("30 pages (25/100 items)") && lines[1].contains("ETA 30.0 s"), "\(lines[1])")
        #expect(!lines[2].contains("ETA") && !lines[2].contains("items"), "\(lines[2])")
    }
}
