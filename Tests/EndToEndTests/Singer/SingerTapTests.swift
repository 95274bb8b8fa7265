import APISandbox
import ConnectorKit
import Foundation
import Testing

/// `connector tap` (the real binary) feeding a real Singer target from PyPI.
@Suite("connector as a Singer tap", .serialized)
struct SingerTapTests {
    static let tables = [
        "audit_events", "audit_events__event_parameters__tags", "export_jobs", "export_job_results",
        "export_job_results__event_parameters__tags", "admin_limits",
    ]

    @Test(
        "tap clari_core | target-jsonl: valid messages, one file per stream with the sandbox's counts",
        .enabled(if: SingerTargets.jsonl != nil, "target-jsonl not installed: scripts/test installs it"))
    func tapIntoJSONLines() async throws {
        let server = try await SandboxServer.start(SandboxConfiguration())
        defer { Task { await server.shutdown() } }
        let dir = temporaryDirectory()
        try copyProject(to: dir)
        let tap = try runConnector(["tap", "clari_core"], in: dir, environment: server.environment)
        #expect(tap.status == 0, "\(tap.errors)")
        let expected = server.api.dataset.expectedCounts()
        let records = try validateSingerMessages(tap.output)
        for table in Self.tables { #expect(records[table] == expected[table], "\(table) in the messages") }

        let messages = dir + "/messages.jsonl"
        try tap.output.write(toFile: messages, atomically: true, encoding: .utf8)
        try #"{"destination_path": "out"}"#.write(toFile: dir + "/jsonl.json", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: dir + "/out", withIntermediateDirectories: true)
        let status = try runProgram(
            try #require(SingerTargets.jsonl), ["--config", "jsonl.json"], stdin: messages, in: dir)
        #expect(status == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir + "/out")
        for table in Self.tables {
            let file = try #require(files.first { $0.hasPrefix(table + "-") }, "no file for \(table): \(files)")
            let text = try String(contentsOfFile: dir + "/out/" + file, encoding: .utf8)
            #expect(text.split(separator: "\n").count == expected[table], "\(table) in \(file)")
        }
    }

    @Test("--state resumes from a target's last STATE; --catalog writes only the selected streams")
    func stateAndCatalog() async throws {
        let server = try await SandboxServer.start(SandboxConfiguration())
        defer { Task { await server.shutdown() } }
        let dir = temporaryDirectory()
        try copyProject(to: dir)
        let first = try runConnector(["tap", "clari_core"], in: dir, environment: server.environment)
        #expect(first.status == 0, "\(first.errors)")
        let lastState = try #require(first.output.split(separator: "\n").last { $0.contains(#""type":"STATE""#) })
        try String(lastState).write(toFile: dir + "/state.json", atomically: true, encoding: .utf8)

        let discovered = try runConnector(
            ["tap", "clari_core", "--discover"], in: dir, environment: server.environment)
        #expect(discovered.status == 0, "\(discovered.errors)")
        #expect(discovered.output.contains(#""tap_stream_id" : "audit_events""#))
        let catalog = try SingerStateText.selecting(resource: "audit_events", in: discovered.output)
        try catalog.write(toFile: dir + "/catalog.json", atomically: true, encoding: .utf8)

        let cursor = try #require(
            try SingerStateText.cursor(of: "audit_events", in: String(lastState)), "no audit_events cursor")
        let second = try runAfterChange(
            server, ["tap", "clari_core", "--state", "state.json", "--catalog", "catalog.json"], in: dir, cursor: cursor
        )
        let records = try validateSingerMessages(second.output)
        #expect(Set(records.keys).isSubset(of: ["audit_events", "audit_events__event_parameters__tags"]), "\(records)")
        #expect(records["audit_events"] == 51, "50 new events and the one at the cursor (dateFrom is inclusive)")
    }
}

/// Reads a cursor out of a STATE message's text; edits a catalog's selection.
enum SingerStateText {
    /// The catalog with only the streams of `resource` selected.
    static func selecting(resource: String, in catalog: String) throws -> String {
        var object = try #require(try JSONSerialization.jsonObject(with: Data(catalog.utf8)) as? [String: Any])
        var streams = try #require(object["streams"] as? [[String: Any]])
        for index in streams.indices {
            var entries = try #require(streams[index]["metadata"] as? [[String: Any]])
            var metadata = try #require(entries.first?["metadata"] as? [String: Any])
            metadata["selected"] = metadata["connector-resource"] as? String == resource
            entries[0]["metadata"] = metadata
            streams[index]["metadata"] = entries
        }
        object["streams"] = streams
        return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    static func cursor(of resource: String, in message: String) throws -> String? {
        let object = try JSONSerialization.jsonObject(with: Data(message.utf8)) as? [String: Any]
        let bookmarks = (object?["value"] as? [String: Any])?["bookmarks"] as? [String: [String: String]]
        return bookmarks?[resource]?["cursor"]
    }
}

/// Runs a program with standard input from a file; returns its exit status.
func runProgram(_ path: String, _ arguments: [String], stdin: String, in directory: String) throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    process.standardInput = FileHandle(forReadingAtPath: stdin)
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
}
