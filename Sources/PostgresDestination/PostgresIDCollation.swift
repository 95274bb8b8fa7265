import ConnectorKit
import PostgresNIO

/// The collation of the row-id columns (`_connector_id`, `_connector_parent_id`,
/// `_connector_root_id`), which publishing sorts (index builds, the key-uniqueness check) and
/// compares (merge deletes, the newest-row join). Ids are opaque and byte order is right for
/// them; under any other database collation PostgreSQL sorts text through strcoll, without
/// abbreviated keys, two to three times slower. So the tables of a family this version creates
/// declare them `COLLATE "C"`.
///
/// A family keeps one collation. Comparing a default-collation column with a "C" one compares in
/// "C", which an index in the default collation cannot serve: a merge's delete of staged keys, or a
/// reader's join of a child to its root, would scan the whole published table (and two different
/// non-default collations do not compare at all: "could not determine which collation to use").
/// So every table, staged or published, takes the collation of its root's `_connector_id`
/// (published, else staged) and "C" only while the family has no table yet: a dataset made by an
/// older version (the database default) keeps loading, and keeps its collation and index use.
enum PostgresIDCollation {
    static let columns: Set<String> = [SystemColumn.id, SystemColumn.parentId, SystemColumn.rootId]

    /// The `COLLATE` clause of a new family: byte order.
    static let bytes = " COLLATE \"C\""

    /// The `COLLATE` clause (empty for the database default) of the family of `root`.
    static func clause(
        root: String, dataset: String, staging: String, _ connection: PostgresConnection
    ) async throws -> String {
        var b = PostgresBindings()
        b.append(qualified(dataset, root)); b.append(qualified(staging, root)); b.append(SystemColumn.id)
        let found = try await connection.rows(
            """
            SELECT CASE WHEN co.collname = 'default' THEN ''
                ELSE ' COLLATE ' || quote_ident(n.nspname) || '.' || quote_ident(co.collname) END
            FROM pg_attribute a JOIN pg_collation co ON co.oid = a.attcollation
            JOIN pg_namespace n ON n.oid = co.collnamespace
            WHERE a.attrelid = coalesce(to_regclass($1), to_regclass($2)) AND a.attname = $3 AND NOT a.attisdropped
            """, b
        ).rows
        guard let row = found.first else { return bytes }
        return (row.first ?? nil) ?? ""
    }

    /// A column's definition: name, type and, for an id column, `clause`.
    static func definition(_ column: Column, type: String, clause: String) -> String {
        let collated = columns.contains(column.name) && column.type == .text
        return "\(PostgresSQL.quoted(column.name)) \(type)\(collated ? clause : "")"
    }

    private static func qualified(_ schema: String, _ table: String) -> String {
        "\(PostgresSQL.quoted(schema)).\(PostgresSQL.quoted(table))"
    }
}
