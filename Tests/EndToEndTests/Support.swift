import APISandbox
import ConnectorKit
import Foundation
import SQLiteDestination

/// The repository root (where sources.yaml lives), found from this file's path.
let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("sources.yaml").path) { return url.path }
    }
    return FileManager.default.currentDirectoryPath
}()

/// A fresh folder under the system temp dir, for one test's SQLite files.
func temporaryDirectory(_ name: String = #function) -> String {
    let path = NSTemporaryDirectory() + "connector-tests/" + name.filter { $0.isLetter || $0.isNumber } + "-" + UUID().uuidString.prefix(8)
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// The project's sources.yaml, pointed at `server`.
func projectSpec(for server: SandboxServer, extra: [String: String] = [:]) throws -> ProjectSpec {
    var env = server.environment
    env.merge(extra) { $1 }
    return try SpecLoader(environment: env).load(projectDirectory: repositoryRoot)
}

/// Row counts of every data table of a pipeline's SQLite file.
func tableCounts(_ destination: SQLiteDestination, _ pipeline: String) async throws -> [String: Int] {
    let dataset = try await destination.openDataset(pipeline: pipeline)
    var counts: [String: Int] = [:]
    for t in try await dataset.tables() { counts[t.name] = t.rows }
    return counts
}

func scalar(_ destination: SQLiteDestination, _ pipeline: String, _ sql: String) async throws -> String? {
    let dataset = try await destination.openDataset(pipeline: pipeline)
    return try await dataset.query(sql).rows.first?.first ?? nil
}

/// Every data table's rows (without the load id, columns by name), sorted and digested: one
/// comparable value per table, for any destination.
func tableDigests(_ dataset: any DatasetReader) async throws -> [String: String] {
    var out: [String: String] = [:]
    for table in try await dataset.tables() {
        let result = try await dataset.query("SELECT * FROM \"\(table.name)\"")
        let kept = result.columns.indices.filter { result.columns[$0] != SystemColumn.loadId }.sorted { result.columns[$0] < result.columns[$1] }
        let rows = result.rows.map { row in kept.map { row[$0] ?? "∅" }.joined(separator: "|") }.sorted()
        out[table.name] = "\(rows.count) rows, digest \(digest(rows))"
    }
    return out
}

/// FNV-1a over the rows, one line each.
func digest(_ rows: [String]) -> String {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for row in rows { for b in row.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }; h = (h ^ 10) &* 0x100_0000_01B3 }
    return String(h, radix: 16)
}
