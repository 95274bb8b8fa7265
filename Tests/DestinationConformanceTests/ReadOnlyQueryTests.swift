import ConnectorKit
import Foundation
import Testing

/// The dashboard's SQL box: every SQL destination answers a read and refuses any write in the
/// database itself (`WriteRefused`), leaving the data as it was.
@Suite("Read-only queries")
struct ReadOnlyQueryTests {
    static let writes = [
        "DELETE FROM t", "UPDATE t SET name = 'x'", "INSERT INTO t (id) VALUES (99)", "DROP TABLE t",
        "CREATE TABLE evil (a INT)",
    ]

    @Test("a write is refused and changes nothing", arguments: DestinationKind.available, writes)
    func refused(kind: DestinationKind, sql: String) async throws {
        let h = try Harness(kind)
        try await h.load(#"[{"id": 1, "name": "a"}, {"id": 2, "name": "b"}]"#, disposition: .append)
        let dataset = try #require(try await h.destination.openDataset(pipeline: h.pipeline) as? any ReadOnlyQuerying)
        await #expect(throws: WriteRefused.self) { _ = try await dataset.readOnlyQuery(sql, maxRows: 10) }
        let count = try await dataset.readOnlyQuery("SELECT count(*) FROM t", maxRows: 10)
        #expect(count.result.rows == [["2"]])
        await dataset.close()
    }

    @Test("a read answers, cut at maxRows", arguments: DestinationKind.available)
    func read(kind: DestinationKind) async throws {
        let h = try Harness(kind)
        try await h.load(#"[{"id": 1}, {"id": 2}, {"id": 3}]"#, disposition: .append)
        let dataset = try #require(try await h.destination.openDataset(pipeline: h.pipeline) as? any ReadOnlyQuerying)
        let all = try await dataset.readOnlyQuery("SELECT id FROM t ORDER BY id", maxRows: 10)
        #expect(all.result.rows == [["1"], ["2"], ["3"]] && !all.truncated)
        let cut = try await dataset.readOnlyQuery("SELECT id FROM t ORDER BY id", maxRows: 2)
        #expect(cut.result.rows == [["1"], ["2"]] && cut.truncated)
        await dataset.close()
    }

    @Test(
        "PostgreSQL sends only reading statements: COPY to a file or program is refused",
        .enabled(if: DestinationKind.postgresURL != nil),
        arguments: ["COPY (SELECT 1) TO PROGRAM 'true'", "/* x */ copy t TO '/tmp/connector-copy'", "CALL p()"])
    func postgresReadsOnly(sql: String) async throws {
        let h = try Harness(.postgres)
        try await h.load(#"[{"id": 1}]"#, disposition: .append)
        let dataset = try #require(try await h.destination.openDataset(pipeline: h.pipeline) as? any ReadOnlyQuerying)
        let error = await #expect(throws: WriteRefused.self) { _ = try await dataset.readOnlyQuery(sql, maxRows: 10) }
        #expect(error?.description.contains("only EXPLAIN, SELECT, SHOW, TABLE, VALUES, WITH run here") == true)
        let comment = try await dataset.readOnlyQuery("-- a note\n(SELECT count(*) FROM t)", maxRows: 10)
        #expect(comment.result.rows == [["1"]])
        await dataset.close()
    }
}
