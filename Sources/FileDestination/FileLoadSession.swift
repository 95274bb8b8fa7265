import ConnectorKit
import Foundation

/// One load into files: batches append JSON lines to `.staging-<load>/<table>.jsonl`; commit
/// renames (or converts to CSV) the succeeded resources' files into place, then writes schema,
/// state and the manifest.
actor FileLoadSession: LoadSession {
    let root: String
    let pipeline: String
    let loadId: String
    let format: FileDestination.Format
    let staging: String
    private var handles: [String: FileHandle] = [:]
    private var columns: [String: [Column]] = [:]
    private var finished = false

    init(root: String, pipeline: String, loadId: String, format: FileDestination.Format) throws {
        self.root = root
        self.pipeline = pipeline
        self.loadId = loadId
        self.format = format
        staging = root + "/.staging-" + loadId
        let fm = FileManager.default
        try fm.createDirectory(atPath: root, withIntermediateDirectories: true)
        for leftover in ((try? fm.contentsOfDirectory(atPath: root)) ?? []) where leftover.hasPrefix(".staging-") {
            try? fm.removeItem(atPath: root + "/" + leftover)
        }
        try fm.createDirectory(atPath: staging, withIntermediateDirectories: true)
    }

    var schemaPath: String { root + "/_schema.json" }

    func existingTables() throws -> [String: [Column]] {
        guard let data = FileManager.default.contents(atPath: schemaPath) else { return [:] }
        return (try? JSONDecoder().decode([String: [Column]].self, from: data)) ?? [:]
    }

    func state(resource: String) throws -> ResourceState {
        StateEncoding.decode((FileStateStore(root: root).load()[resource] ?? [:]).map { ($0.key, $0.value) })
    }

    func saveState(_ change: StateChange, resource: String) throws {
        let store = FileStateStore(root: root)
        var state = store.load()
        FileStateStore.apply(change, resource: resource, to: &state)
        try store.save(state)
    }

    /// Files cannot resume: the checkpoint is not kept, and a run that dies starts over.
    func write(_ batches: [StagedBatch], checkpoint: Checkpoint) throws {
        for batch in batches { try append(batch.rows) }
    }

    private func append(_ batch: RowBatch) throws {
        let table = batch.table.name
        let handle: FileHandle
        if let h = handles[table] {
            handle = h
        } else {
            let path = staging + "/" + table + ".jsonl"
            FileManager.default.createFile(atPath: path, contents: nil)
            guard let h = FileHandle(forWritingAtPath: path) else { throw FileDestinationError("cannot write \(path)") }
            handles[table] = h
            handle = h
        }
        columns[table] = batch.table.columns
        var out = ""
        for row in batch.rows {
            out += "{"
            for (i, column) in batch.table.columns.enumerated() where i < row.count && row[i] != .null {
                if out.last != "{" { out += "," }
                out += JSONText.quote(column.name) + ":" + JSONText.value(row[i])
            }
            out += "}\n"
        }
        try handle.write(contentsOf: Data(out.utf8))
    }

    func commit(_ load: LoadSummary) throws {
        try Self.refusePartialReplace(load)
        for h in handles.values { try? h.close() }
        handles.removeAll()
        let fm = FileManager.default
        var schema = try existingTables()
        var published: [String: String] = [:]
        var state = FileStateStore(root: root).load()
        for publication in load.publications {
            for root in publication.roots {
                let tables = publication.tables.filter { $0.root == root.name }.map(\.name)
                let family = Set(tables + schema.keys.filter { $0 == root.name || $0.hasPrefix(root.name + "__") })
                if root.disposition == .replace {
                    for t in family { try? fm.removeItem(atPath: self.root + "/" + t) }
                }
                for table in tables {
                    let staged = staging + "/" + table + ".jsonl"
                    guard fm.fileExists(atPath: staged), let cols = columns[table] else { continue }
                    try fm.createDirectory(atPath: self.root + "/" + table, withIntermediateDirectories: true)
                    let target = self.root + "/" + table + "/" + loadId + "." + format.rawValue
                    if format == .csv {
                        try CSVWriter.convert(jsonl: staged, columns: cols, to: target)
                    } else {
                        if rename(staged, target) != 0 {
                            throw FileDestinationError("cannot move \(staged) into place: errno \(errno)")
                        }
                    }
                    published[table] = target
                    schema[table] = cols
                }
            }
            FileStateStore.apply(publication.state, resource: publication.resource, to: &state)
        }
        try AtomicFile.write(Data(LoadDetails.encode(schema).utf8), to: schemaPath)
        try FileStateStore(root: root).save(state)
        struct Manifest: Encodable {
            let load_id, pipeline, status, started_at, finished_at: String; let files: [String: String];
            let resources: String
        }
        try fm.createDirectory(atPath: root + "/_loads", withIntermediateDirectories: true)
        let manifest = Manifest(
            load_id: loadId, pipeline: pipeline, status: load.status, started_at: load.startedAt,
            finished_at: load.finishedAt, files: published, resources: LoadDetails.json(load))
        try AtomicFile.write(Data(LoadDetails.encode(manifest).utf8), to: root + "/_loads/" + loadId + ".json")
        cleanUp()
    }

    func abort() { cleanUp() }

    private func cleanUp() {
        guard !finished else { return }
        finished = true
        for h in handles.values { try? h.close() }
        try? FileManager.default.removeItem(atPath: staging)
    }
}

/// Staged JSON lines → CSV with the table's final columns as header (RFC 4180 quoting).
enum CSVWriter {
    static func convert(jsonl: String, columns: [Column], to target: String) throws {
        guard let data = FileManager.default.contents(atPath: jsonl) else {
            throw FileDestinationError("cannot read \(jsonl)")
        }
        var out = columns.map { CSVField.quote($0.name) }.joined(separator: ",") + "\n"
        for line in data.split(separator: 10) where !line.isEmpty {
            let object = (try JSONSerialization.jsonObject(with: Data(line))) as? [String: Any] ?? [:]
            let fields = columns.map { c in object[c.name].map { CSVField.quote(text($0, c.type)) } ?? "" }
            out += fields.joined(separator: ",") + "\n"
        }
        try AtomicFile.write(Data(out.utf8), to: target)
    }

    static func text(_ any: Any, _ type: DataType) -> String {
        if type == .bool, let b = (any as? Bool) ?? (any as? NSNumber)?.boolValue { return b ? "true" : "false" }
        if let s = any as? String { return s }
        if let n = any as? NSNumber { return n.stringValue }
        return "\(any)"
    }

}
