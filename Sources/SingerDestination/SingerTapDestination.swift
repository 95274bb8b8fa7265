import ConnectorKit
import Foundation

/// connector as a Singer tap (`connector tap`): a destination that writes the messages to a
/// file descriptor (standard output) as the run goes — a table's SCHEMA before its first
/// RECORD (again when its columns grow), the RECORDs of each batch as it is staged, and a
/// STATE at commit holding the state a target should hand back through `--state` next time.
/// Records stream at once (the target batches on its own); a resource that fails has no
/// state change in that STATE, so its records come again on the next run: at least once.
public struct SingerTapDestination: Destination {
    public let name = "singer tap"
    let initial: SingerState
    let streams: Set<String>?
    let descriptor: Int32

    /// `state`: the state a target last emitted; `streams`: the streams to write (nil: all).
    public init(state: SingerState, streams: Set<String>? = nil, descriptor: Int32 = STDOUT_FILENO) {
        initial = state
        self.streams = streams
        self.descriptor = descriptor
    }

    public var capabilities: DestinationCapabilities { SingerTargetDestination.singerCapabilities }

    public func beginLoad(pipeline: String, loadId: String) async throws -> any LoadSession {
        SingerTapSession(
            state: initial, streams: streams, writer: LineWriter(descriptor: descriptor, what: "standard output"))
    }

    public func openDataset(pipeline: String) async throws -> any DatasetReader {
        throw SingerError("a tap keeps no dataset: its records went to standard output")
    }

    public func resetState(pipeline: String, resource: String?) async throws -> Int { 0 }
}

actor SingerTapSession: LoadSession {
    private var current: SingerState
    private let streams: Set<String>?
    private let writer: LineWriter
    private var described: [String: [Column]] = [:]

    init(state: SingerState, streams: Set<String>?, writer: LineWriter) {
        current = state
        self.streams = streams
        self.writer = writer
    }

    func existingTables() -> [String: [Column]] { [:] }

    func state(resource: String) -> ResourceState { current.resourceState(resource) }

    /// An export job in flight: a STATE at once, so a runner that saves it can resume the job.
    func saveState(_ change: StateChange, resource: String) throws {
        current.apply(change, resource: resource)
        try writer.line(SingerMessages.state(current.json))
        try writer.flush()
    }

    func write(_ batches: [StagedBatch], checkpoint: Checkpoint) throws {
        for batch in batches where streams?.contains(batch.rows.table.name) ?? true {
            let table = batch.rows.table
            if described[table.name] != table.columns {
                try writer.line(SingerMessages.schema(table, keyProperties: SingerMessages.keyProperties(table)))
                described[table.name] = table.columns
            }
            for row in batch.rows.rows {
                try writer.line(SingerMessages.record(stream: table.name, columns: table.columns, row: row))
            }
        }
        try writer.flush()
    }

    func commit(_ load: LoadSummary) throws {
        for publication in load.publications { current.apply(publication.state, resource: publication.resource) }
        try writer.line(SingerMessages.state(current.json))
        try writer.flush()
    }

    func abort() {}
}
