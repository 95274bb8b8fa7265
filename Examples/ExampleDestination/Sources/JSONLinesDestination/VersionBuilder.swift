import ConnectorKit
import Foundation

/// Builds the next version of a dataset in a folder of its own: the published version's tables
/// (hard links: never written in place), the load's publications applied to them (replace drops
/// a root table's family first; append and merge add the staged rows), the new schema and state,
/// and the load history with this load's record. Retention rules are not applied by this example.
struct VersionBuilder {
    let dataset: DatasetFolder
    let staging: String
    let version: String
    private var files: FileManager { .default }

    func build(_ load: LoadSummary) throws {
        try files.createDirectory(atPath: version, withIntermediateDirectories: true)
        if let current = dataset.current {
            for name in try files.contentsOfDirectory(atPath: current) where !name.hasPrefix(".") {
                try files.linkItem(atPath: current + "/" + name, toPath: version + "/" + name)
            }
        }
        var schema = dataset.schema()
        var state = dataset.state()
        for publication in load.publications {
            for root in publication.roots where root.disposition == .replace {
                for table in schema.keys where table == root.name || table.hasPrefix(root.name + "__") {
                    try? files.removeItem(atPath: version + "/" + table + ".jsonl")
                    schema[table] = nil
                }
            }
            for table in publication.tables {
                schema[table.name] = table.columns
                try appendStaged(table.name)
            }
            if !publication.state.updates.isEmpty || state[publication.resource] != nil {
                publication.state.apply(to: &state[publication.resource, default: [:]])
            }
        }
        try replace("_schema.json", with: try JSONEncoder().encode(schema))
        try replace("_state.json", with: try JSONEncoder().encode(state))
        var history = files.contents(atPath: version + "/_loads.jsonl") ?? Data()
        history.append(try JSONEncoder().encode(LoadLine(load)) + Data("\n".utf8))
        try replace("_loads.jsonl", with: history)
    }

    /// The table's published rows (if kept) followed by the staged ones, as a new file.
    private func appendStaged(_ table: String) throws {
        let target = version + "/" + table + ".jsonl"
        var data = files.contents(atPath: target) ?? Data()
        data.append(files.contents(atPath: staging + "/" + table + ".jsonl") ?? Data())
        try replace(table + ".jsonl", with: data)
    }

    /// Removes the link to the published file first, so the published version stays untouched.
    private func replace(_ name: String, with data: Data) throws {
        try? files.removeItem(atPath: version + "/" + name)
        try data.write(to: URL(fileURLWithPath: version + "/" + name))
    }
}

/// One line of `_loads.jsonl`.
struct LoadLine: Codable {
    let loadId, status, startedAt, finishedAt, details: String
    let rows: Int

    enum CodingKeys: String, CodingKey {
        case loadId = "load_id", status, startedAt = "started_at", finishedAt = "finished_at", details, rows
    }

    init(_ load: LoadSummary) {
        loadId = load.loadId
        status = load.status
        startedAt = load.startedAt
        finishedAt = load.finishedAt
        details = LoadDetails.json(load)
        rows = load.publishedRows
    }
}
