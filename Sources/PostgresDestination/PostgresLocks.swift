import PostgresNIO

/// The advisory locks that let many loads (shards of a pipeline, tenants, pipelines) write one
/// database at once, each as narrow as correctness allows:
/// - a session lock per dataset and lane: one run of a shard at a time (its staging schema);
/// - a transaction lock while creating schemas and bookkeeping tables (`IF NOT EXISTS` races);
/// - per dataset and resource, transaction locks held while a load publishes: a resource's
///   tables, schema versions and state rows change in one load at a time, so a `merge` sees
///   every key an earlier publish wrote and never duplicates it.
enum PostgresLocks {
    /// The session lock of a load of `dataset` in `lane` ("" is the whole pipeline, as before lanes).
    static func load(_ dataset: String, lane: String) -> PostgresBindings {
        var b = PostgresBindings()
        b.append("connector:" + dataset + (lane.isEmpty ? "" : ":" + lane))
        return b
    }

    /// Creates the dataset's schema and bookkeeping tables and the `staging` schema, in a
    /// transaction holding the dataset's schema-creation lock.
    static func creatingSchemas(_ connection: PostgresConnection, dataset: String, staging: String) async throws {
        try await connection.run("BEGIN")
        do {
            try await lock("connector-ddl:" + dataset, connection)
            try await PostgresBookkeeping.create(connection, dataset: dataset)
            try await PostgresLeases.create(connection, dataset: dataset)
            try await connection.run("CREATE SCHEMA IF NOT EXISTS \(PostgresSQL.quoted(staging))")
            try await connection.run("COMMIT")
        } catch {
            try? await connection.run("ROLLBACK")
            throw error
        }
    }

    /// Takes the publish locks of `resources` for the caller's transaction, in name order so two
    /// publishes never wait on each other crosswise.
    static func publishing(_ resources: [String], dataset: String, _ connection: PostgresConnection) async throws {
        for resource in Set(resources).sorted() {
            try await lock("connector-publish:" + dataset + ":" + resource, connection)
        }
    }

    private static func lock(_ key: String, _ connection: PostgresConnection) async throws {
        var b = PostgresBindings()
        b.append(key)
        try await connection.run("SELECT pg_advisory_xact_lock(hashtext($1))", b)
    }
}
