import ConnectorKit
import FileDestination
import Foundation
import Testing

/// The conformance scenarios that apply to plain files (no SQL: counts come from the files).
@Suite("Destination conformance: files")
struct FileDestinationTests {
    static let formats: [FileDestination.Format] = [.jsonl, .csv]

    func harness(_ format: FileDestination.Format) throws -> (Harness, FileDestination) {
        let root = NSTemporaryDirectory() + "connector-files-" + UUID().uuidString + "/{pipeline}"
        let files = FileDestination(root: root, format: format)
        return (try Harness(destination: files), files)
    }

    func counts(_ h: Harness) async throws -> [String: Int] {
        let dataset = try await h.destination.openDataset(pipeline: h.pipeline)
        return Dictionary(uniqueKeysWithValues: try await dataset.tables().map { ($0.name, $0.rows) })
    }

    @Test("append adds, replace swaps, children included", arguments: formats)
    func appendReplace(_ format: FileDestination.Format) async throws {
        let (h, _) = try harness(format)
        try await h.load(#"[{"id":1,"tags":["a","b"]},{"id":2,"tags":["c"]}]"#, disposition: .append)
        try await h.load(#"[{"id":3,"tags":["d"]}]"#, disposition: .append)
        #expect(try await counts(h) == ["t": 3, "t__tags": 4])
        try await h.load(#"[{"id":9,"tags":["z"]}]"#, disposition: .replace)
        #expect(try await counts(h) == ["t": 1, "t__tags": 1])
    }

    @Test("a failed resource and an aborted load leave no files; state is kept", arguments: formats)
    func failures(_ format: FileDestination.Format) async throws {
        let (h, files) = try harness(format)
        try await h.load(#"[{"id":1}]"#, disposition: .append, state: ResourceState(cursors: ["": "1"]))
        try await h.load(#"[{"id":2}]"#, disposition: .append, fail: true, state: ResourceState(cursors: ["": "2"]))
        #expect(try await counts(h) == ["t": 1])
        let session = try await files.beginLoad(pipeline: h.pipeline, loadId: "x")
        #expect(try await session.state(resource: "r") == ResourceState(cursors: ["": "1"]))
        await session.abort()
        let root = files.root(for: h.pipeline)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: root).filter { $0.hasPrefix(".staging") }
        #expect(leftovers.isEmpty)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: root + "/_loads").count == 2,
            "one manifest per committed load")
    }

    @Test("a _state.json an earlier version wrote reads as typed state; state is stored in that form")
    func storedState() async throws {
        let (h, files) = try harness(.jsonl)
        let root = files.root(for: h.pipeline)
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let old = #"{"r":{"cursor:region=eu":"17","job":"job-000001"}}"#
        try old.write(toFile: root + "/_state.json", atomically: true, encoding: .utf8)
        let session = try await files.beginLoad(pipeline: h.pipeline, loadId: "x")
        #expect(
            try await session.state(resource: "r")
                == ResourceState(cursors: ["region=eu": "17"], jobs: ["": "job-000001"]))
        try await session.saveState(.forgettingJob(of: ""), resource: "r")
        await session.abort()
        #expect(
            try String(contentsOfFile: root + "/_state.json", encoding: .utf8) == #"{"r":{"cursor:region=eu":"17"}}"#)
    }

    @Test("decimals are written exactly: JSON strings in JSONL, their text in CSV", arguments: formats)
    func decimals(_ format: FileDestination.Format) async throws {
        let (h, files) = try harness(format)
        try await h.load(
            #"[{"id":18446744073709551616,"x":0.1000000000000000055511151231257827},{"id":18446744073709551617,"x":1e400}]"#,
            disposition: .append)
        let dir = files.root(for: h.pipeline) + "/t"
        let file = try #require(try FileManager.default.contentsOfDirectory(atPath: dir).first)
        let text = try String(contentsOfFile: dir + "/" + file, encoding: .utf8)
        let expected =
            format == .jsonl
            ? [
                #""id":"18446744073709551616""#, #""x":"0.1000000000000000055511151231257827""#,
                #""id":"18446744073709551617""#, #""x":"1e400""#,
            ]
            : ["18446744073709551616,0.1000000000000000055511151231257827", "18446744073709551617,1e400"]
        for fragment in expected { #expect(text.contains(fragment), "\(text)") }
    }

    @Test("CSV has the final columns as header and quotes what needs it")
    func csv() async throws {
        let (h, files) = try harness(.csv)
        try await h.load(#"[{"id":1,"s":"plain"},{"id":2,"s":"a, \"b\"","late":true}]"#, disposition: .append)
        let dir = files.root(for: h.pipeline) + "/t"
        let file = try #require(try FileManager.default.contentsOfDirectory(atPath: dir).first)
        let text = try String(contentsOfFile: dir + "/" + file, encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.first?.hasSuffix("id,s,late") == true, "\(lines.first ?? "")")
        #expect(lines.count == 3)
        #expect(lines[2].hasSuffix(#"2,"a, ""b""",true"#), "\(lines[2])")
        #expect(lines[1].hasSuffix("1,plain,"))
    }
}
