/// What a destination can do, so that the engine and the CLI adapt instead of failing late.
public struct DestinationCapabilities: Sendable {
    /// How a merge is carried out.
    public enum MergeStrategy: String, Sendable {
        /// Delete the keys being loaded (and those parents' children), insert the newest row per key.
        case deleteInsert = "delete-insert"
        /// Append only; readers keep the newest row per `_connector_id`.
        case appendOnly = "append-only"
    }

    /// The type each inferred column type is stored as.
    public var types: [DataType: String]
    /// Longest identifier the destination keeps (longer names are shortened with a hash).
    public var maxIdentifierLength: Int?
    /// Whether table creation and changes commit with the data (or not at all).
    public var transactionalDDL: Bool
    public var mergeStrategy: MergeStrategy
    /// Whether `connector query` can run SQL against it.
    public var supportsSQL: Bool
    /// Whether the next run resumes a killed run's staged work (`LoadSession.prepareStaging`
    /// answers with where it stood) instead of starting over; the CLI says which after Ctrl-C.
    public var resumesKilledLoads: Bool

    public init(
        types: [DataType: String], maxIdentifierLength: Int?, transactionalDDL: Bool,
        mergeStrategy: MergeStrategy, supportsSQL: Bool, resumesKilledLoads: Bool = false
    ) {
        self.types = types
        self.maxIdentifierLength = maxIdentifierLength
        self.transactionalDDL = transactionalDDL
        self.mergeStrategy = mergeStrategy
        self.supportsSQL = supportsSQL
        self.resumesKilledLoads = resumesKilledLoads
    }
}
