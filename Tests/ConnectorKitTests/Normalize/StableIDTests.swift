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
}
