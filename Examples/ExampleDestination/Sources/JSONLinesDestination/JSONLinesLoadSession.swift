import ConnectorKit
import Foundation

/// One load: batches append JSON lines to `.staging-<load_id>/<table>.jsonl`; `commit` builds the
/// next version of the dataset from the published one and the staged files, then publishes it;
/// `abort` (or a failed commit) removes what the load wrote. It cannot resume: a run that dies
/// starts over (`prepareStaging` keeps its default, nil).
actor JSONLinesLoadSession: LoadSession {
    let dataset: DatasetFolder
    let pipeline: String
    let loadId: String
    let staging: String
    private var finished = false

    init(dataset: DatasetFolder, pipeline: String, loadId: String) throws {
        self.dataset = dataset
        self.pipeline = pipeline
        self.loadId = loadId
        staging = dataset.root + "/.staging-" + loadId
        let files = FileManager.default
        try files.createDirectory(atPath: dataset.root, withIntermediateDirectories: true)
        for leftover in (try? files.contentsOfDirectory(atPath: dataset.root)) ?? [] where leftover.hasPrefix(".") {
            try? files.removeItem(atPath: dataset.root + "/" + leftover)  // of a load that died
        }
        try files.createDirectory(atPath: staging, withIntermediateDirectories: true)
    }

    func existingTables() -> [String: [Column]] { dataset.schema() }

    func state(resource: String) -> ResourceState {
        StateEncoding.decode((dataset.state()[resource] ?? [:]).map { ($0.key, $0.value) })
    }

    /// Job ids of export jobs in flight: stored at once, outside the load.
    func saveState(_ change: StateChange, resource: String) throws {
        try dataset.updateState { state in
            change.apply(to: &state[resource, default: [:]])
            return 0
        }
    }

    func write(_ batches: [StagedBatch], checkpoint: Checkpoint) throws {
        for batch in batches {
            let path = staging + "/" + batch.rows.table.name + ".jsonl"
            let files = FileManager.default
            if !files.fileExists(atPath: path), !files.createFile(atPath: path, contents: nil) {
                throw JSONLinesError("cannot create \(path)")
            }
            guard let handle = FileHandle(forWritingAtPath: path) else { throw JSONLinesError("cannot write \(path)") }
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(JSONLines.encode(batch.rows).utf8))
        }
    }

    func commit(_ load: LoadSummary) throws {
        defer { cleanUp() }
        let version = dataset.root + "/versions/" + loadId
        do {
            try VersionBuilder(dataset: dataset, staging: staging, version: version).build(load)
            try dataset.publish(version: loadId)
        } catch {
            try? FileManager.default.removeItem(atPath: version)
            throw error
        }
    }

    func abort() { cleanUp() }

    private func cleanUp() {
        guard !finished else { return }
        finished = true
        try? FileManager.default.removeItem(atPath: staging)
    }
}

/// Rows as JSON lines: one object per row, null cells left out.
enum JSONLines {
    static func encode(_ batch: RowBatch) -> String {
        var out = ""
        for row in batch.rows {
            let cells = zip(batch.table.columns, row).filter { $0.1 != .null }
            out +=
                "{" + cells.map { JSONText.quote($0.0.name) + ":" + JSONText.value($0.1) }.joined(separator: ",")
                + "}\n"
        }
        return out
    }
}
