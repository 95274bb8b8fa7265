import ConnectorKit
import PostgresNIO

/// A lane whose load died before publishing: its lease row outlived it (`PostgresLeases`).
public struct ExpiredLease: Sendable, Equatable {
    public let lane: String
    /// The units the dead load ran; a run taking it over runs the same.
    public let scope: WorkScope
    /// Who held it (host:pid:…), and how long ago it was last renewed, in seconds.
    public let holder: String
    public let age: Double
}

/// Taking over lanes whose loads died (`run --take-over-after`, docs/scale-out.md).
extension PostgresDestination {
    /// The lanes of `pipeline` whose lease was last renewed more than `seconds` ago. Their loads
    /// may still be alive (a lease is renewed per staged batch, not by a clock): `claim` tells.
    public func expiredLeases(pipeline: String, olderThan seconds: Double) async throws -> [ExpiredLease] {
        let connection = try await connector.connect()
        defer { Task { try? await connection.close() } }
        let ds = dataset(for: pipeline)
        guard try await connection.relationExists(PostgresLeases.qualified(ds)) else { return [] }
        var b = PostgresBindings()
        b.append(pipeline); b.append(seconds)
        let rows = try await connection.rows(
            """
            SELECT lane, shard, partitions, holder, extract(epoch FROM now() - renewed_at)::float8
            FROM \(PostgresLeases.qualified(ds)) WHERE pipeline = $1 AND renewed_at < now() - make_interval(secs => $2)
            ORDER BY lane
            """, b)
        return try rows.rows.compactMap { row in
            guard let lane = row[0], let partitions = row[2], let holder = row[3] else { return nil }
            let scope = try WorkScope(leased: row[1], partitionsText: partitions)
            guard scope.lane == lane else { return nil }  // written by a version that named lanes otherwise
            return ExpiredLease(lane: lane, scope: scope, holder: holder, age: Double(row[4] ?? "") ?? seconds)
        }
    }

    /// Adopts `lease`'s lane: takes its session lock (once: if a run holds it, the lane is alive
    /// or already taken over, and the answer is nil), then, in one transaction, checks that the
    /// lease is still expired and makes it this process's. The destination returned loads in
    /// that lane with that connection: its next load resumes the dead load's staged batches
    /// and checkpoints (an identical run) and publishes them.
    public func claim(_ lease: ExpiredLease, pipeline: String, olderThan seconds: Double) async throws
        -> PostgresDestination?
    {
        let connection = try await connector.connect()
        let ds = dataset(for: pipeline)
        let lock = PostgresLocks.load(ds, lane: lease.lane)
        guard try await connection.rows("SELECT pg_try_advisory_lock(hashtext($1))", lock).rows.first?.first == "true"
        else {
            try? await connection.close()
            return nil
        }
        var b = PostgresBindings()
        b.append(lease.lane); b.append(pipeline); b.append(seconds); b.append(PostgresLeases.holder)
        let taken = try await connection.rows(
            """
            UPDATE \(PostgresLeases.qualified(ds)) SET holder = $4, renewed_at = now()
            WHERE lane = $1 AND pipeline = $2 AND renewed_at < now() - make_interval(secs => $3) RETURNING lane
            """, b)
        guard !taken.rows.isEmpty else {
            try? await connection.run("SELECT pg_advisory_unlock(hashtext($1))", lock)
            try? await connection.close()
            return nil
        }
        var adopted = self
        adopted.scope = lease.scope
        adopted.claimed = connection
        return adopted
    }
}
