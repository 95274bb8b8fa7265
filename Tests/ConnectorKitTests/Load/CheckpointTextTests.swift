import ConnectorKit
import Testing

/// What a checkpoint stores must come back exactly (a resumed run continues from it), and
/// must not carry a secret into the destination.
@Suite("Checkpoints as stored text")
struct CheckpointTextTests {
    @Test("a checkpoint round-trips: positions, counters, cursors and typed parent values")
    func roundTrip() throws {
        let next = ItemProgress.next(
            PageRequestRecord(
                PageRequest(method: "POST", url: "http://api/x?a=1", params: [("skip", "100")], body: Array("{}".utf8))),
            paginator: ["offset": "100"])
        let progress = ResourceProgress(
            rows: ["calls": 100], cursors: ["window=2026-01": "2026-01-31T10:00:00Z"], pages: 2, sequence: 7,
            schemaChanges: ["new table calls"])
        let parents: [[String: Value]] = [
            ["id": .int(2), "score": .double(2.0), "ok": .bool(true), "name": .text("a"), "none": .null]
        ]
        let text = try CheckpointText.encode(
            Checkpoint(
                resource: "calls", progress: progress, items: ["window=2026-01": next, "window=2026-02": .done],
                parentRows: parents))
        let point = try CheckpointText.resumePoint(
            loadId: "L", progress: [("calls", text.progress)],
            items: text.items.map { ("calls", $0.key, $0.json) },
            parentRows: text.parentRows.map { ("calls", $0) })
        let calls = try #require(point.resources["calls"])
        #expect(calls.items == ["window=2026-01": next, "window=2026-02": .done])
        #expect(calls.parentRows == parents)
        #expect(calls.progress.cursors == progress.cursors)
        #expect(calls.progress.rows == ["calls": 100])
        #expect(calls.progress.sequence == 7 && calls.progress.pages == 2)
        #expect(calls.progress.schemaChanges == ["new table calls"])
    }

    @Test("parent records come back exactly: escapes, non-ASCII text, extreme numbers, nulls")
    func parentRecordValues() throws {
        let parents: [[String: Value]] = [
            [
                "quote \"and\\ slash": .text("line\nbreak\ttab\u{01}\u{7F} \"q\" \\ é 中 🙂"),
                "min": .int(Int64.min), "max": .int(Int64.max), "tiny": .double(1e-05),
                "huge": .double(1.7976931348623157e308),
                "negative zero": .double(-0.0), "third": .double(1.0 / 3), "no": .bool(false), "none": .null,
                "": .text(""),
            ],
            [:],
        ]
        let text = try CheckpointText.encode(
            Checkpoint(resource: "r", progress: ResourceProgress(), items: [:], parentRows: parents))
        let back = try CheckpointText.resumePoint(
            loadId: "L", progress: [("r", text.progress)], items: [],
            parentRows: text.parentRows.map { ("r", $0) })
        let rows = try #require(back.resources["r"]).parentRows
        #expect(rows == parents)
        guard case .double(let zero) = rows.first?["negative zero"] else {
            Issue.record("negative zero did not come back as a double")
            return
        }
        #expect(zero.sign == .minus)
    }

    @Test("a parent record with a non-finite number fails to encode, as before, instead of storing bad JSON")
    func nonFiniteParentValue() {
        #expect(throws: (any Error).self) {
            try CheckpointText.encode(
                Checkpoint(
                    resource: "r", progress: ResourceProgress(), items: [:], parentRows: [["x": .double(.infinity)]]))
        }
    }

    @Test("table schemas come back as they were at each flush, also when the next flush adds a column")
    func tablesAcrossFlushes() throws {
        func table(_ columns: [String]) -> TableSchema {
            TableSchema(
                name: "calls", columns: columns.map { Column(name: $0, type: .text) }, parent: nil, root: "calls",
                primaryKey: ["id"], disposition: .merge, resource: "calls")
        }
        let resource = "calls-\(UInt32.random(in: 0...UInt32.max))"
        let flushes = [["id"], ["id"], ["id", "title"], ["id", "title"]].map { table($0) }
        for (n, schema) in flushes.enumerated() {
            let progress = ResourceProgress(tables: [schema], rows: ["calls": n], pages: n, sequence: n)
            let text = try CheckpointText.encode(
                Checkpoint(resource: resource, progress: progress, items: [:], parentRows: []))
            let back = try #require(
                try CheckpointText.resumePoint(
                    loadId: "L", progress: [(resource, text.progress)], items: [], parentRows: []
                ).resources[resource])
            #expect(back.progress.tables == [schema], "flush \(n)")
            #expect(back.progress.rows == ["calls": n] && back.progress.pages == n && back.progress.sequence == n)
        }
    }

    @Test("a stored next request has no known secret in it")
    func noSecrets() {
        let redactor = Redactor(secrets: ["s3cret-key-value"])
        let record = PageRequestRecord(
            PageRequest(
                method: "GET", url: "http://api/x?apikey=s3cret-key-value&page=2",
                params: [("token", "s3cret-key-value"), ("page", "2")], body: nil)
        ).redacted(by: redactor)
        #expect(!record.url.contains("s3cret-key-value"))
        #expect(!record.params.flatMap { $0 }.contains { $0.contains("s3cret-key-value") })
        #expect(record.url.contains("page=2"))
    }
}
