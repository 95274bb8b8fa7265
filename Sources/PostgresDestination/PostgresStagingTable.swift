import ConnectorKit
import PostgresNIO

/// The staged tables of a load, in one of two forms:
/// - text form: an unlogged table whose timestamps, decimals and JSON stay text until publishing
///   casts them while copying the rows into the published table;
/// - publish-ready form, for a table the dataset does not have yet (a first load): a logged table
///   with the published column types, which publishing moves into the dataset as it is
///   (`PostgresPublisher.moveStaged`) instead of copying its rows, the largest cost of publishing
///   a first load. Being logged is how a resumed load recognizes the form.
/// Merged tables also carry each row's item order (`StagingColumn.itemOrder`) and staging sequence
/// (`seq`), which pick the newest row of a repeated key.
struct PostgresStagingTable {
    let connection: PostgresConnection
    let dataset: String
    let staging: String

    /// The staging sequence column: the order rows were staged in.
    static let seq = "_stg_seq"

    private func staged(_ name: String) -> String { "\(PostgresSQL.quoted(staging)).\(PostgresSQL.quoted(name))" }

    /// Creates the staged table of `table`: publish-ready when the dataset has no such table. Its id
    /// columns take the family's collation (`PostgresIDCollation`), `idCollation`.
    /// Returns whether it is publish-ready.
    func create(_ table: TableSchema, idCollation: String) async throws -> Bool {
        let published = "\(PostgresSQL.quoted(dataset)).\(PostgresSQL.quoted(table.name))"
        let ready = try await !connection.relationExists(published)
        let defs = table.columns.map {
            PostgresIDCollation.definition($0, type: Self.type($0.type, ready: ready), clause: idCollation)
        }
        let merged = table.disposition == .merge
        let order = merged ? ["\(PostgresSQL.quoted(StagingColumn.itemOrder)) bigint NOT NULL"] : []
        let seq = merged ? ["\(Self.seq) bigint"] : []  // numbered by `PostgresCopyText`
        let kind = ready ? "TABLE" : "UNLOGGED TABLE"
        try await connection.run(
            "CREATE \(kind) \(staged(table.name)) (\((defs + order + seq).joined(separator: ", ")))")
        return ready
    }

    /// Adds columns that batches staged after the table's creation brought.
    func add(_ columns: [Column], to table: String, ready: Bool) async throws {
        for c in columns {
            let type = Self.type(c.type, ready: ready)
            try await connection.run("ALTER TABLE \(staged(table)) ADD COLUMN \(PostgresSQL.quoted(c.name)) \(type)")
        }
    }

    /// Of `tables` (staged earlier, by a load being resumed), those in publish-ready form.
    func publishReady(among tables: some Sequence<String>) async throws -> Set<String> {
        var b = PostgresBindings()
        b.append(staging)
        let logged = Set(
            try await connection.rows(
                """
                SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = $1 AND c.relkind = 'r' AND c.relpersistence = 'p'
                """, b
            ).rows.compactMap { $0.first ?? nil })
        return Set(tables.filter { logged.contains(PostgresSQL.identifier($0)) })
    }

    private static func type(_ t: DataType, ready: Bool) -> String {
        ready ? PostgresSQL.type(t) : PostgresSQL.stagingType(t)
    }
}
