import APISandbox
import ConnectorKit
import Foundation
import Testing

/// `run --dry-run` reads a sample and writes nothing; `init` scaffolds a source `validate` accepts.
@Suite("Dry run and init", .serialized)
struct DryRunInitTests {
    /// Every file under `dir` with a digest of its bytes (empty when `dir` does not exist).
    static func files(under dir: String) -> [String: String] {
        let names = FileManager.default.enumerator(atPath: dir)?.compactMap { $0 as? String } ?? []
        var out: [String: String] = [:]
        for name in names {
            guard let data = FileManager.default.contents(atPath: dir + "/" + name) else { continue }
            out[name] = digest(data.map { String($0) })
        }
        return out
    }

    @Test("--dry-run prints a sample, creates no destination, and leaves a loaded one and its state as they were")
    func dryRunWritesNothing() async throws {
        let project = temporaryDirectory("dry-run")
        try copyProject(to: project)
        let server = try await SandboxServer.start(SandboxConfiguration())
        defer { Task { await server.shutdown() } }
        let run = { (arguments: [String]) throws -> BinaryRun in
            try runConnector(
                ["run", "--project", project, "clari_copilot"] + arguments, in: project,
                environment: server.environment)
        }
        server.api.clearRequestLog()
        let sample = try run(["--dry-run", "--max-pages", "1"])
        #expect(sample.status == 0, "\(sample.errors)")
        #expect(
            Self.files(under: project + "/data").isEmpty, "a dry run created \(Self.files(under: project + "/data"))")
        for text in ["dry run: nothing was written", "table calls (resource calls)", "columns: ", "row 1: "] {
            #expect(sample.output.contains(text), "the sample lacks \(text): \(sample.output)")
        }
        let callPages = server.api.requestLog.filter { $0.contains("/calls") }.count
        #expect(callPages == 1, "--max-pages 1 read \(callPages) pages of calls")

        #expect(try run([]).status == 0)
        let state = ["state", "--project", project, "clari_copilot"]
        let (filesBefore, stateBefore) = (Self.files(under: project + "/data"), try runConnector(state, in: project))
        #expect(!filesBefore.isEmpty)
        let again = try run(["--dry-run"])
        #expect(again.status == 0, "\(again.errors)")
        #expect(Self.files(under: project + "/data") == filesBefore, "a dry run changed the destination's files")
        #expect(try runConnector(state, in: project).output == stateBefore.output)
    }

    @Test("--max-pages without --dry-run is refused: a real run reads everything")
    func maxPagesNeedsDryRun() throws {
        let project = temporaryDirectory("max-pages")
        try copyProject(to: project)
        let refused = try runConnector(["run", "--project", project, "clari_core", "--max-pages", "1"], in: project)
        #expect(refused.status == 64)
        #expect(refused.errors.contains("--max-pages needs --dry-run"))
    }

    @Test("init scaffolds a source validate accepts, in a new file and beside existing sources; never twice")
    func initScaffolds() throws {
        let empty = temporaryDirectory("init-new")
        #expect(try runConnector(["init", "myapi", "--project", empty], in: empty).status == 0)
        let fresh = try runConnector(["validate", "--project", empty], in: empty)
        #expect(fresh.status == 0 && fresh.output.contains("ok: 1 sources, 1 resources, 1 pipelines"), "\(fresh)")

        let project = temporaryDirectory("init-existing")
        try copyProject(to: project)
        let original = try String(contentsOfFile: project + "/sources.yaml", encoding: .utf8)
        #expect(try runConnector(["init", "second", "--project", project], in: project).status == 0)
        let extended = try runConnector(["validate", "--project", project], in: project)
        #expect(extended.status == 0, "\(extended.errors)")
        #expect(extended.output.contains("4 pipelines"), "\(extended.output)")
        let after = try String(contentsOfFile: project + "/sources.yaml", encoding: .utf8)
        let twice = try runConnector(["init", "second", "--project", project], in: project)
        #expect(twice.status != 0 && twice.errors.contains("second"), "\(twice)")
        #expect(
            try String(contentsOfFile: project + "/sources.yaml", encoding: .utf8) == after,
            "a refused init changed the file")
        #expect(after.count > original.count)
    }
}
