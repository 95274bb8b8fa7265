@testable import ConnectorKit
import Testing

/// Row ids are merge keys stored in users' tables: the same key must give the same id in
/// every version, or a merge would duplicate what earlier versions loaded.
@Suite("Stable row ids")
struct StableIDTests {
    @Test(
        "ids are pinned",
        arguments: [
            (["calls", "call-1"], "7353531d12f86017"),
            (["x"], "ff2e6458cc7e877b"),
            (["load", "t", "1"], "6191a507b1480a52"),
        ])
    func pinned(_ c: ([String], String)) {
        #expect(StableID.make(c.0) == c.1)
    }

    @Test("a record's id is its table and primary key")
    func recordId() throws {
        let normalizer = RecordNormalizer(loadId: "l", maxNesting: 4)
        normalizer.declareRoot("calls", primaryKey: ["id"], disposition: .merge, resource: "calls")
        let parser = JSONParser()
        try normalizer.add(try parser.parse(Array(#"{"id":"call-1","n":2}"#.utf8)), to: "calls", extras: [])
        let batch = try #require(normalizer.takeBatches().first)
        let column = try #require(batch.table.columns.firstIndex { $0.name == SystemColumn.id })
        #expect(batch.rows.first?[column] == .text("7353531d12f86017"))
    }

    @Test("a number feeds the id as its decimal text", arguments: [0, 7, 10, 99, 12_345, -3, Int.max, Int.min])
    func number(_ n: Int) {
        var byNumber = StableID.Hasher()
        byNumber.add("t")
        byNumber.add(n)
        #expect(byNumber.finish() == StableID.make(["t", String(n)]))
    }

    @Test(
        "a key cell feeds the id as its text",
        arguments: [
            Value.int(0), .int(-42), .int(.max), .int(.min), .text("call-1"), .text(""), .double(2.5), .bool(true),
        ])
    func cell(_ value: Value) {
        var byCell = StableID.Hasher()
        byCell.add("t")
        let added = byCell.add(value)
        #expect(added)
        #expect(byCell.finish() == StableID.make(["t", value.textValue ?? ""]))
    }

    @Test("a row without a key is numbered: its id is the load id, the table and its number")
    func keylessId() throws {
        let normalizer = RecordNormalizer(loadId: "l", maxNesting: 4)
        normalizer.declareRoot("events", primaryKey: [], disposition: .append, resource: "events")
        let parser = JSONParser()
        for record in try parser.parse(Array(#"[{"n":1},{"n":2}]"#.utf8)).elements {
            try normalizer.add(record, to: "events", extras: [])
        }
        let batch = try #require(normalizer.takeBatches().first)
        let column = try #require(batch.table.columns.firstIndex { $0.name == SystemColumn.id })
        #expect(batch.rows.map { $0[column] } == ["1", "2"].map { .text(StableID.make(["l", "events", $0])) })
    }

    @Test("a list element's id is its parent's id, the list's path and its index")
    func childId() throws {
        let normalizer = RecordNormalizer(loadId: "l", maxNesting: 4)
        normalizer.declareRoot("calls", primaryKey: ["id"], disposition: .merge, resource: "calls")
        let parser = JSONParser()
        let record =
            #"{"id":"call-1","tags":[{"n":1},{"n":2},{"n":3},{"n":4},{"n":5},{"n":6},{"n":7},{"n":8},"#
            + #"{"n":9},{"n":10},{"n":11}]}"#
        try normalizer.add(try parser.parse(Array(record.utf8)), to: "calls", extras: [])
        let child = try #require(normalizer.takeBatches().first { $0.table.name == "calls__tags" })
        let column = try #require(child.table.columns.firstIndex { $0.name == SystemColumn.id })
        let expected = (0..<11).map { StableID.make(["7353531d12f86017", "tags", String($0)]) }
        #expect(child.rows.map { $0[column] } == expected.map { .text($0) })
    }

    @Test(
        "a row id's text is its hash as 16 lowercase hex digits",
        arguments: [0, 1, 9, 10, 15, 0x0123_4567_89ab_cdef, 0xfedc_ba98_7654_3210, 0xa0a0_9f9f_0a0a_f9f9, .max]
            as [UInt64])
    func hexText(_ hash: UInt64) {
        let hex = String(hash, radix: 16)
        #expect(StableID.RowID(hash: hash).text == String(repeating: "0", count: 16 - hex.count) + hex)
    }
}
