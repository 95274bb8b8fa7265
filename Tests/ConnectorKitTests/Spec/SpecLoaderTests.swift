import ConnectorKit
import Foundation
import Testing

@Suite("Spec loading and its errors")
struct SpecLoaderTests {
    let loader = SpecLoader(environment: ["API_KEY": "k-123", "BASE": "http://127.0.0.1:9"])

    func parse(_ yaml: String) throws -> ProjectSpec { try loader.parseSources(yaml, file: "sources.yaml") }

    func error(_ yaml: String) -> SpecError? {
        do { _ = try parse(yaml); return nil } catch let e as SpecError { return e } catch { return nil }
    }

    static let minimal = """
        sources:
          api:
            client:
              base_url: ${BASE:-http://example.invalid}/v1
              auth: {type: api_key, location: header, name: apikey, api_key: "${API_KEY}"}
            resource_defaults:
              write_disposition: merge
              primary_key: id
            resources:
              - users
              - name: orders
                endpoint:
                  path: orders
                  paginator: {type: offset, limit: 50}
                  data_selector: data.orders
        pipelines:
          api_pipeline: {source: api}
        """

    @Test("a valid spec becomes typed values, with defaults and variables applied")
    func valid() throws {
        let project = try parse(Self.minimal)
        let source = try #require(project.source(named: "api"))
        #expect(source.client.baseURL.value == "http://127.0.0.1:9/v1")
        #expect(source.resources.map(\.name) == ["users", "orders"])
        #expect(source.resources[0].endpoint.path.value == "users")
        #expect(source.resources[1].primaryKey == ["id"])
        #expect(source.resources[1].writeDisposition == .merge)
        #expect(project.pipelines.first?.destination == "sqlite")
        #expect(project.secrets.contains("k-123"))
        if case .offset(let limit, let offsetParam, _, _, _, _, _, _)? = source.resources[1].endpoint.paginator {
            #expect(limit == 50 && offsetParam == "offset")
        } else {
            Issue.record("expected an offset paginator")
        }
    }

    /// An export job whose create may answer busy (line 11).
    static let withJob = """
        sources:
          api:
            client: {base_url: http://example.invalid}
            resources:
              - name: export
                endpoint: {method: POST, path: export}
                async_job:
                  job_id_path: id
                  poll: {path: "jobs/{job_id}", status_path: status}
                  download: {path: "jobs/{job_id}/result"}
                  busy: {status: 400, body_contains: concurrent, retries: 3, wait: 1s}
        pipelines:
          p: {source: api}
        """

    struct BadCase: Sendable, CustomTestStringConvertible {
        let name: String
        let yaml: String
        let line: Int
        let fragments: [String]
        var testDescription: String { name }
    }

    static let badCases: [BadCase] = [
        BadCase(
            name: "unknown key suggests the nearest",
            yaml: minimal.replacingOccurrences(of: "data_selector:", with: "data_selectr:"),
            line: 15, fragments: ["unknown key 'data_selectr'", "did you mean 'data_selector'", "Valid keys:"]),
        BadCase(
            name: "unknown paginator lists the choices",
            yaml: minimal.replacingOccurrences(of: "type: offset", with: "type: ofset"),
            line: 14, fragments: ["'ofset'", "single_page", "json_link", "did you mean 'offset'"]),
        BadCase(
            name: "malformed YAML names line and column",
            yaml: "sources:\n  api:\n    client: {base_url: x\n  bad: [\n",
            line: 4, fragments: ["invalid YAML"]),
        BadCase(
            name: "wrong type", yaml: minimal.replacingOccurrences(of: "limit: 50", with: "limit: fifty"),
            line: 14, fragments: ["'limit'", "whole number", "fifty"]),
        BadCase(
            name: "merge without a key", yaml: minimal.replacingOccurrences(of: "      primary_key: id\n", with: ""),
            line: 9, fragments: ["merges (write_disposition at line 7) but has no 'primary_key'"]),
        BadCase(
            name: "pipeline naming a missing source",
            yaml: minimal.replacingOccurrences(of: "{source: api}", with: "{source: apii}"),
            line: 17, fragments: ["source 'apii'", "did you mean 'api'"]),
        BadCase(
            name: "bad write disposition",
            yaml: minimal.replacingOccurrences(of: "write_disposition: merge", with: "write_disposition: upsert"),
            line: 7, fragments: ["'upsert'", "append, replace, merge"]),
        BadCase(
            name: "busy answers are HTTP errors",
            yaml: withJob.replacingOccurrences(of: "status: 400", with: "status: [400, 200]"),
            line: 11, fragments: ["'status' in 'busy'", "400–599", "'200'"]),
        BadCase(
            name: "busy needs its status", yaml: withJob.replacingOccurrences(of: "status: 400, ", with: ""),
            line: 11, fragments: ["'busy' needs 'status'"]),
        BadCase(
            name: "busy retries are bounded",
            yaml: withJob.replacingOccurrences(of: "retries: 3", with: "retries: 500"),
            line: 11, fragments: ["'retries'", "between 0 and 20"]),
        BadCase(
            name: "duplicate key",
            yaml:
                "sources:\n  a: {client: {base_url: x}, resources: [r]}\n  a: {client: {base_url: y}, resources: [r]}\n",
            line: 2, fragments: ["'a' appears more than once"]),
    ]

    @Test("mistakes are reported with file:line:column and the valid choices", arguments: badCases)
    func errors(_ c: BadCase) throws {
        let e = try #require(error(c.yaml), "expected an error")
        #expect(e.location?.file == "sources.yaml")
        #expect(e.location?.line == c.line, "\(e)")
        #expect((e.location?.column ?? 0) >= 1)
        for fragment in c.fragments { #expect(e.description.contains(fragment), "\(e)") }
        #expect(e.description.hasPrefix("sources.yaml:\(c.line):"), "\(e)")
    }

    @Test("busy reads its statuses, text, retries and first wait")
    func busy() throws {
        let job = try #require(try parse(Self.withJob).source(named: "api")?.resources.first?.asyncJob)
        let busy = try #require(job.busy)
        #expect(busy.statuses == [400] && busy.bodyContains == "concurrent" && busy.retries == 3 && busy.wait == 1)
        #expect(busy.matches(status: 400, body: Array("The monthly quota limit of 5 or Concurrent limit of 3".utf8)))
        #expect(!busy.matches(status: 400, body: Array("no_such_forecast_config".utf8)))
        #expect(!busy.matches(status: 429, body: Array("concurrent".utf8)))
        #expect((0..<4).map(busy.delay(beforeRetry:)) == [1, 2, 4, 8])
    }

    @Test("an unset variable is an error only where it is used, and names itself")
    func missingVariable() async throws {
        let project = try SpecLoader(environment: [:]).parseSources(Self.minimal, file: "sources.yaml")
        let auth = try #require(project.source(named: "api")?.client.auth)
        let client = SourceClient(
            baseURL: "http://example.invalid", transport: HTTPTransport(),
            limiter: RequestLimiter(requestsPerSecond: nil, maxConcurrent: 1), retry: RetrySpec(), timeoutSeconds: 1,
            headers: [], redactor: Redactor(secrets: []))
        let e = #expect(throws: SpecError.self) { _ = try auth.makeAuthenticator(client: client) }
        await client.shutdown()
        #expect(e?.message.contains("API_KEY is not set") == true)
        #expect(e?.location?.line == 5)
        #expect(project.source(named: "api")?.client.baseURL.value == "http://example.invalid/v1")
    }

    @Test("the repository's sources.yaml and destinations validate")
    func repositorySpec() throws {
        var dir = URL(fileURLWithPath: #filePath)
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("sources.yaml").path) {
            dir.deleteLastPathComponent()
        }
        let project = try SpecLoader(environment: [:]).load(projectDirectory: dir.path)
        #expect(Set(project.pipelines.map(\.name)) == ["clari_core", "clari_copilot", "clari_forecast"])
        #expect(project.destinations["sqlite"] != nil)
        let copilot = try #require(project.source(named: "clari_copilot"))
        #expect(copilot.resource(named: "call_details")?.parent == "calls")
    }
}

@Suite("Shared request limiters")
struct RequestLimitersTests {
    @Test("sources on one origin share one limiter with the strictest settings")
    func sharedByOrigin() async throws {
        let yaml = """
            sources:
              a: {client: {base_url: "http://api.example.com/v4", rate_limit: {requests_per_second: 10}, max_concurrency: 4}, resources: [x]}
              b: {client: {base_url: "http://api.example.com:80/v2", rate_limit: {requests_per_second: 2}, max_concurrency: 8}, resources: [y]}
              c: {client: {base_url: "http://other.example.com"}, resources: [z]}
            """
        let project = try SpecLoader(environment: [:]).parseSources(yaml, file: "s.yaml")
        let limiters = RequestLimiters(project: project)
        let a = try #require(limiters.limiter(for: project.sources[0]))
        let b = try #require(limiters.limiter(for: project.sources[1]))
        let c = try #require(limiters.limiter(for: project.sources[2]))
        #expect(a === b)
        #expect(a !== c)
        // Strictest rate (2/s): three starts take at least 1 s.
        let start = ContinuousClock.now
        for _ in 0..<3 { await a.acquire(); await a.release() }
        #expect(ContinuousClock.now - start >= .milliseconds(900))
    }
}
