import ConnectorKit

extension FileLoadSession {
    /// Files hold each load's rows in files of their own: they cannot drop the rows of some units,
    /// so a `replace` of some units (`--shard`, `--partition`) is refused before anything moves.
    static func refusePartialReplace(_ load: LoadSummary) throws {
        guard let partial = load.publications.first(where: { $0.replacedUnits != nil }) else { return }
        throw FileDestinationError(
            "resource '\(partial.resource)' has write_disposition replace and this run loads only some of its "
                + "units (--shard/--partition): the files destination cannot replace the rows of some units; "
                + "run it without --shard and --partition, or load into SQLite or PostgreSQL")
    }
}
