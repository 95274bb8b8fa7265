/// The load history and stored state of a dataset, for destinations that keep them outside SQL
/// (the files destination: manifests and `_state.json`). SQL destinations answer the same
/// questions from their bookkeeping tables (`BookkeepingTable`); `loads`, `state` and `show`
/// ask a dataset that conforms here instead.
public protocol BookkeepingReader: Sendable {
    /// Loads, newest first, at most `limit`.
    func loads(limit: Int) async throws -> [LoadRecord]
    /// Stored state entries, by resource then key.
    func stateEntries() async throws -> [StateEntry]
}

/// One load as its record (or manifest) tells it; `details` is `LoadDetails.json` of its resources.
public struct LoadRecord: Sendable {
    public var loadId: String
    public var status: String
    public var rows: Int
    public var startedAt: String
    public var finishedAt: String
    public var details: String

    public init(loadId: String, status: String, rows: Int, startedAt: String, finishedAt: String, details: String) {
        self.loadId = loadId
        self.status = status
        self.rows = rows
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.details = details
    }
}

/// One stored state value of a resource (`StateEncoding`'s key and value).
public struct StateEntry: Sendable {
    public var resource: String
    public var key: String
    public var value: String
    /// When it was last written, where the destination keeps that (empty otherwise).
    public var updatedAt: String

    public init(resource: String, key: String, value: String, updatedAt: String = "") {
        self.resource = resource
        self.key = key
        self.value = value
        self.updatedAt = updatedAt
    }
}
