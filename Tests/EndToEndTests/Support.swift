import APISandbox
import ChildProcess
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
    let path =
        NSTemporaryDirectory() + "connector-tests/" + name.filter { $0.isLetter || $0.isNumber } + "-"
        + UUID().uuidString.prefix(8)
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

/// The real `connector` binary (scripts/test builds it before the tests).
let connectorBinary = repositoryRoot + "/.build/debug/connector"

/// The repository's project files (sources.yaml, destinations/) copied into `dir`, so a run of
/// the binary with `--project dir` keeps its `data/` there.
func copyProject(to dir: String) throws {
    let files = FileManager.default
    try files.createDirectory(atPath: dir, withIntermediateDirectories: true)
    for name in ["sources.yaml", "destinations"] {
        try files.copyItem(atPath: repositoryRoot + "/" + name, toPath: dir + "/" + name)
    }
}

/// What a finished run of the binary printed, and how it ended.
struct BinaryRun {
    let status: Int32
    let output: String
    let errors: String
}

/// Runs the `connector` binary to its end in `directory` with extra environment variables.
/// `withoutPrefix` drops inherited variables whose names start with it, so only `environment`
/// sets them.
func runConnector(
    _ arguments: [String], in directory: String, environment: [String: String] = [:], withoutPrefix: String? = nil
) throws -> BinaryRun {
    try runConnectors([(arguments, environment)], in: directory, withoutPrefix: withoutPrefix)[0]
}

/// Runs several `connector` processes at once (each with its arguments and extra environment)
/// and waits for all of them.
func runConnectors(
    _ runs: [(arguments: [String], environment: [String: String])], in directory: String,
    withoutPrefix: String? = nil
) throws -> [BinaryRun] {
    let inherited = ProcessInfo.processInfo.environment.filter { name, _ in
        withoutPrefix.map { !name.hasPrefix($0) } ?? true
    }
    var started: [(child: SpawnedChild, out: String, err: String)] = []
    var ended = false
    defer {
        for s in started {
            if !ended { s.child.terminate() }
            try? FileManager.default.removeItem(atPath: s.out)
            try? FileManager.default.removeItem(atPath: s.err)
        }
    }
    for run in runs {
        // Files, not pipes: a long output cannot fill a pipe and stall the child.
        let outPath = NSTemporaryDirectory() + "connector-out-" + UUID().uuidString
        let errPath = outPath + ".err"
        let child = try SpawnedChild(
            connectorBinary, run.arguments, environment: inherited.merging(run.environment) { $1 },
            directory: directory, stdout: outPath, stderr: errPath)
        started.append((child, outPath, errPath))
    }
    let read = { (path: String) in (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
    let runs = started.map { s in BinaryRun(status: s.child.wait(), output: read(s.out), errors: read(s.err)) }
    ended = true
    return runs
}

/// Pages a running or interrupted load has staged with their checkpoints (0 before the first
/// one), read from its SQLite staging file (`<pipeline>.sqlite.staging`).
func stagedPages(_ stagingPath: String) async -> Int {
    guard FileManager.default.fileExists(atPath: stagingPath),
        let staging = try? await SQLiteDestination(pathTemplate: stagingPath).openDataset(pipeline: "staging"),
        let r = try? await staging.query(
            "SELECT coalesce(sum(json_extract(progress, '$.pages')), 0) FROM _connector_progress")
    else { return 0 }
    return Int(r.rows.first?.first.flatMap { $0 } ?? "0") ?? 0
}

/// Every data table's rows (without the load id, columns by name), sorted and digested: one
/// comparable value per table, for any destination.
func tableDigests(_ dataset: any DatasetReader) async throws -> [String: String] {
    var out: [String: String] = [:]
    for table in try await dataset.tables() {
        let result = try await dataset.query("SELECT * FROM \"\(table.name)\"")
        let kept = result.columns.indices.filter { result.columns[$0] != SystemColumn.loadId }.sorted {
            result.columns[$0] < result.columns[$1]
        }
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
