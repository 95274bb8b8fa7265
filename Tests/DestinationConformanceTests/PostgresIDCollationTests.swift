import ConnectorKit
import Foundation
@testable import PostgresDestination
import Testing

/// Row ids are `COLLATE "C"` in the tables of a family this version creates, and keep the database
/// default in datasets made before (`PostgresIDCollation`): a load into such a dataset, merges and new
/// child tables included, keeps that collation everywhere (a "C" staged key against a default-collation
/// index compares in "C", which the index cannot serve), and loads correctly.
@Suite(
    "PostgreSQL id collation",
    .enabled(if: DestinationKind.postgresURL != nil, "needs CONNECTOR_POSTGRES_URL (scripts/with-postgres)"))
struct PostgresIDCollationTests {
    static let idColumns = "('_connector_id', '_connector_parent_id', '_connector_root_id')"

    func run(_ sql: String) async throws {
        let connection = try await PostgresConnector(url: DestinationKind.postgresURL ?? "").connect()
        defer { Task { try? await connection.close() } }
        try await connection.run(sql)
    }

    /// table.column → collation name of the id columns in `schema`.
    func collations(_ schema: String) async throws -> [String: String] {
        let connection = try await PostgresConnector(url: DestinationKind.postgresURL ?? "").connect()
        defer { Task { try? await connection.close() } }
        let rows = try await connection.rows(
            """
            SELECT c.relname || '.' || a.attname, co.collname FROM pg_attribute a
            JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_collation co ON co.oid = a.attcollation
            WHERE n.nspname = '\(schema)' AND c.relkind = 'r' AND a.attname IN \(Self.idColumns)
            AND NOT a.attisdropped AND c.relname NOT LIKE '\\_connector\\_%'
            """)
        return Dictionary(uniqueKeysWithValues: rows.rows.map { ($0[0] ?? "", $0[1] ?? "") })
    }

    @Test(
        "a first load's tables, moved or created, have their ids in byte order",
        arguments: [
            #"[{"id":1,"tags":["a"]},{"id":2,"tags":["b"]}]"#, #"[{"id":1,"tags":["a"]},{"id":1,"tags":["b"]}]"#,
        ])
    func firstLoad(_ records: String) async throws {
        let h = try Harness(.postgres)
        try await h.load(records, disposition: .merge, primaryKey: ["id"])
        let found = try await collations(h.pipeline)
        #expect(found.count == 4 && Set(found.values) == ["C"], "\(found)")
        // A later merge stages, deletes and joins in the same collation.
        try await h.load(
            #"[{"id":1,"tags":["c"]},{"id":1,"tags":["d"]},{"id":3}]"#, disposition: .merge, primaryKey: ["id"])
        let ids = records.contains(#""id":2"#) ? [["1"], ["2"], ["3"]] : [["1"], ["3"]]
        #expect(try await h.rows("SELECT id FROM t ORDER BY id") == ids)
        #expect(
            try await h.rows(
                "SELECT g.value FROM t JOIN t__tags g ON g._connector_root_id = t._connector_id WHERE t.id = 1")
                == [["d"]])
    }

    @Test("a dataset made with the default collation keeps it: merges and new child tables load into it")
    func olderDataset() async throws {
        let h = try Harness(.postgres)
        try await h.load(#"[{"id":1,"tags":["a"]},{"id":2,"tags":["b"]}]"#, disposition: .merge, primaryKey: ["id"])
        // What an older version made: ids in the database's default collation.
        for (table, columns) in [
            ("t", ["_connector_id"]), ("t__tags", ["_connector_id", "_connector_parent_id", "_connector_root_id"]),
        ] {
            let alter = columns.map { "ALTER COLUMN \($0) TYPE text COLLATE \"default\"" }.joined(separator: ", ")
            try await run("ALTER TABLE \(h.pipeline).\(table) \(alter)")
        }
        #expect(Set(try await collations(h.pipeline).values) == ["default"])
        // A merge with a repeated key (the newest-row join), a replaced key and a new child table.
        try await h.load(
            #"[{"id":2,"tags":["b1"],"notes":["n1"]},{"id":2,"tags":["b2"],"notes":["n2"]},{"id":3,"tags":["c"]}]"#,
            disposition: .merge, primaryKey: ["id"])
        let found = try await collations(h.pipeline)
        #expect(found.count == 7 && Set(found.values) == ["default"], "\(found)")
        #expect(try await h.rows("SELECT id FROM t ORDER BY id") == [["1"], ["2"], ["3"]])
        #expect(try await h.rows("SELECT value FROM t__tags ORDER BY value") == [["a"], ["b2"], ["c"]])
        #expect(try await h.rows("SELECT value FROM t__notes") == [["n2"]])
        let joined = "SELECT t.id, n.value FROM t JOIN t__notes n ON n._connector_root_id = t._connector_id"
        #expect(try await h.rows(joined) == [["2", "n2"]])
        try await h.load(#"[{"id":3,"notes":["n3"]}]"#, disposition: .merge, primaryKey: ["id"])
        #expect(try await h.rows("SELECT value FROM t__notes ORDER BY value") == [["n2"], ["n3"]])
    }
}
