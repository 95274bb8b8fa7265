/// A dataset that runs a person's SQL with no way to change the data: the dashboard's SQL box.
/// Each destination enforces it in the database itself (SQLite: a connection opened read-only;
/// PostgreSQL: a `READ ONLY` transaction that is rolled back), not by looking at the text.
public protocol ReadOnlyQuerying: DatasetReader {
    /// Runs `sql` read-only and returns at most `maxRows` rows (`truncated` says when there were more).
    /// A statement that would write fails with `WriteRefused`.
    func readOnlyQuery(_ sql: String, maxRows: Int) async throws -> ReadOnlyResult
}

/// The rows of a read-only query, cut at the asked maximum.
public struct ReadOnlyResult: Sendable {
    public var result: QueryResult
    /// True when the query had more rows than were kept.
    public var truncated: Bool
    public init(result: QueryResult, truncated: Bool) {
        self.result = result
        self.truncated = truncated
    }
}

/// A statement refused because it would change the dataset.
public struct WriteRefused: Error, CustomStringConvertible, Sendable {
    /// What the database said, for the curious.
    public let detail: String
    public init(detail: String) { self.detail = detail }
    public var description: String {
        "refused: this SQL would change the dataset, and queries here are read-only (\(detail))"
    }
}
