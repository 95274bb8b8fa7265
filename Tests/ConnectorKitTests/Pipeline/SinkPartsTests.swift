@testable import ConnectorKit
import Testing

/// The value types the resource sink coordinates: record selection, cursor tracking, parent
/// keys, pending batches and the flush policy, each on its own.
@Suite("Resource sink parts")
struct SinkPartsTests {
    static func resource(_ endpointYAML: String, extra: String = "") throws -> ResourceSpec {
        let yaml = """
                  - name: items
            \(extra)
                    endpoint:
                      path: items
                      paginator: single_page
            \(endpointYAML)
            """
        let project = try TestPipeline.project(baseURL: "http://127.0.0.1:1", resourceYAML: yaml)
        return try #require(project.sources.first?.resources.first)
    }

    static let selections: [(name: String, selector: String, body: String, count: Int?)] = [
        ("declared selector", "          data_selector: payload.rows", #"{"payload":{"rows":[{"a":1},{"a":2}]}}"#, 2),
        ("auto: the usual name first", "", #"{"other":[1],"results":[{"a":1},{"a":2},{"a":3}]}"#, 3),
        ("auto: a bare list", "", #"[{"a":1}]"#, 1),
        ("auto: an object is one record", "", #"{"a":1}"#, 1),
        ("a null selection holds none", "          data_selector: rows", #"{"rows":null}"#, 0),
        ("missing selector fails", "          data_selector: rows", #"{"data":[],"total":0}"#, nil),
    ]

    @Test("records are selected and counted", arguments: selections)
    func selection(_ c: (name: String, selector: String, body: String, count: Int?)) throws {
        let selection = RecordSelection(resource: try Self.resource(c.selector))
        let parser = JSONParser()
        let document = try parser.parse(Array(c.body.utf8))
        do {
            let (_, count) = try selection.select(document)
            #expect(count == c.count, "\(c.name)")
        } catch {
            #expect(c.count == nil, "\(c.name): \(error.message)")
            #expect(error.message.contains("its top-level keys are: data, total"), "\(error.message)")
        }
    }

    @Test("the cursor keeps each item's greatest value, in cursor order")
    func cursor() throws {
        var tracker = CursorTracker(
            resource: try Self.resource(
                "          incremental: {cursor_path: meta.updated, on_cursor_value_missing: include}"),
            resumed: ["b": "5"])
        let parser = JSONParser()
        for (record, key) in [
            (#"{"meta":{"updated":"9"}}"#, "a"), (#"{"meta":{"updated":"10"}}"#, "a"),
            (#"{"meta":{"updated":"8"}}"#, "a"), (#"{"id":1}"#, "a"), (#"{"meta":{"updated":"4"}}"#, "b"),
        ] {
            #expect(try tracker.observe(try parser.parse(Array(record.utf8)), item: key))
        }
        #expect(tracker.cursors == ["a": "10", "b": "5"])
        var untracked = CursorTracker(resource: try Self.resource(""))
        #expect(try untracked.observe(try parser.parse(Array(#"{"updated":"1"}"#.utf8)), item: ""))
        #expect(untracked.cursors.isEmpty)
    }

    @Test("items that take turns keep each its greatest cursor, a resumed one included")
    func interleavedItems() throws {
        var tracker = CursorTracker(
            resource: try Self.resource("          incremental: {cursor_path: t}"),
            resumed: ["c": "2024-06-01T00:00:00Z", "d": "2024-01-01T00:00:00Z"])
        let parser = JSONParser()
        let seen: [(String, String)] = [
            ("a", "2024-03-01T00:00:00Z"), ("a", "2024-02-01T00:00:00Z"), ("b", "2024-01-05T00:00:00Z"),
            ("a", "2024-04-01T00:00:00Z"), ("c", "2024-05-01T00:00:00Z"), ("b", "2024-01-04T00:00:00Z"),
            ("c", "2024-07-01T00:00:00Z"), ("a", "2024-03-15T00:00:00Z"), ("b", "2024-01-06T00:00:00.5Z"),
        ]
        for (key, t) in seen {
            #expect(try tracker.observe(try parser.parse(Array(#"{"t":"\#(t)"}"#.utf8)), item: key))
        }
        #expect(
            tracker.cursors == [
                "a": "2024-04-01T00:00:00Z", "b": "2024-01-06T00:00:00.5Z", "c": "2024-07-01T00:00:00Z",
                "d": "2024-01-01T00:00:00Z",
            ])
    }

    @Test("parent keys keep nulls as null and hand each row to one checkpoint")
    func parentKeys() throws {
        var keys = ParentKeys(fields: ["id", "owner.id"], resumed: [["id": .int(0)]])
        let parser = JSONParser()
        keys.take(try parser.parse(Array(#"{"id":1,"owner":{"id":"u1"}}"#.utf8)))
        keys.take(try parser.parse(Array(#"{"id":null}"#.utf8)))
        keys.take(try parser.parse(Array("[1]".utf8)))  // not an object: no row
        #expect(keys.rows == [["id": .int(0)], ["id": .int(1), "owner.id": .text("u1")], ["id": .null]])
        #expect(keys.takeUnsaved().count == 2)
        #expect(keys.takeUnsaved().isEmpty)
        keys.take(try parser.parse(Array(#"{"id":2}"#.utf8)))
        #expect(keys.takeUnsaved() == [["id": .int(2)]])
    }

    static func batch(_ table: String, _ rows: [[Value]]) -> RowBatch {
        RowBatch(
            table: TableSchema(
                name: table, columns: [], parent: nil, root: table, primaryKey: [],
                disposition: .merge, resource: "items"), rows: rows)
    }

    @Test("pending rows are grouped per item and table and tagged with the item's order")
    func pending() {
        var pending = PendingBatches()
        pending.setOrder([WorkItem(key: "x"), WorkItem(key: "y")])
        pending.setOrder([WorkItem(key: "y"), WorkItem(key: "x"), WorkItem(key: "z")])  // x and y keep their places
        pending.add([Self.batch("t", [[.int(1)]])], itemKey: "y")
        pending.add([Self.batch("t", [[.int(2)]]), Self.batch("t__c", [[.int(3)]])], itemKey: "x")
        pending.add([Self.batch("t", [[.int(4)]])], itemKey: "y")
        pending.add([Self.batch("t", [[.int(5)]])], itemKey: "z")
        // Names of one length (the index hashes an item's order and its table name's length).
        pending.add([Self.batch("t__d", [[.int(7)]]), Self.batch("t__c", [[.int(8)]])], itemKey: "x")
        let taken = pending.take()
        #expect(
            taken.map { "\($0.itemOrder)/\($0.rows.table.name)/\($0.rows.rows.count)" }
                == ["1/t/2", "0/t/1", "0/t__c/2", "2/t/1", "0/t__d/1"])
        #expect(pending.take().isEmpty)
        // After a flush the same item and table start a new batch (no index left from before).
        pending.add([Self.batch("t", [[.int(6)]])], itemKey: "y")
        #expect(pending.take().map { "\($0.itemOrder)/\($0.rows.table.name)/\($0.rows.rows.count)" } == ["1/t/1"])
    }

    @Test("a flush is due at the record, byte or time threshold, and counting restarts after it")
    func flushPolicy() {
        let start = ContinuousClock.now
        var policy = FlushPolicy(now: start)
        policy.maxRecords = 10
        policy.maxBytes = 100
        policy.add(records: 9, bytes: 99)
        #expect(!policy.isDue(at: start))
        policy.add(records: 1, bytes: 0)
        #expect(policy.isDue(at: start))
        policy.flushed(at: start)
        policy.add(records: 0, bytes: 100)
        #expect(policy.isDue(at: start))
        policy.flushed(at: start)
        #expect(!policy.isDue(at: start + .milliseconds(999)))
        #expect(policy.isDue(at: start + .seconds(1)))
        #expect(FlushPolicy().maxRecords == 20_000 && FlushPolicy().maxBytes == 2 << 20)
    }
}
