import APISandbox
import ConnectorKit
import FileDestination
import Foundation
import Testing

/// `replace` under `--shard`: a partitioned `replace` root records each row's unit
/// (`_connector_unit`), and a partial run replaces only the rows of the units it read — with
/// their child rows — leaving the other shards' units as they were.
@Suite("replace under sharding")
struct PartialReplaceTests {
    static let regions = ["eu", "us", "apac", "latam", "mena", "nordics", "andes", "baltic", "iberia", "pacific"]

    /// A loopback API: `orders/{region}` answers the ids `offered` holds for the region, each
    /// order with two lines (a child table).
    final class API: Sendable {
        let offered = LockedBox([String: [String]]())
        let server: LoopbackHTTPServer

        init() async throws {
            let offered = self.offered
            server = try await LoopbackHTTPServer.start { request in
                let region = String(request.path.split(separator: "/").last ?? "")
                let ids = offered.withLock { $0[region] ?? [] }
                let items = ids.map { #"{"id":"\#($0)","lines":[{"sku":"\#($0)-a"},{"sku":"\#($0)-b"}]}"# }
                return SandboxResponse(
                    status: 200, headers: [("Content-Type", "application/json")],
                    body: Array("{\"items\":[\(items.joined(separator: ","))]}".utf8))
            }
        }

        func offer(_ region: String, _ ids: [String]) { offered.withLock { $0[region] = ids } }
    }

    static func project(
        _ api: API, pipeline: String, partitioned: Bool = true, contract: String = "evolve",
        disposition: String = "replace"
    ) throws -> ProjectSpec {
        let values = regions.joined(separator: ",")
        let endpoint =
            (partitioned
            ? ["path: orders/{region}", "partitions:", "  region: {type: list, values: \"\(values)\"}"]
            : ["path: orders/eu"]).map { String(repeating: " ", count: 10) + $0 }.joined(separator: "\n")
        let yaml = """
            sources:
              test:
                client: {base_url: \(api.server.baseURL), retry: {max_attempts: 2, base_delay: 10ms, max_delay: 20ms}}
                resources:
                  - name: orders
                    primary_key: id
                    write_disposition: \(disposition)
                    schema_contract: \(contract)
                    endpoint:
                      data_selector: items
                      paginator: single_page
            \(endpoint)
            pipelines:
              \(pipeline): {source: test}
            """
        return try SpecLoader(environment: [:]).parseSources(yaml, file: "test.yaml")
    }

    /// The orders by unit, and the lines (each must hang under an order that is there).
    static func contents(_ harness: Harness) async throws -> (orders: [String: String], lines: Int, orphans: Int) {
        let rows = try await harness.rows("SELECT id, _connector_unit FROM orders")
        let orders = Dictionary(rows.map { ($0[0] ?? "", $0[1] ?? "NULL") }, uniquingKeysWith: { a, _ in a })
        let lines = try await harness.count("orders__lines")
        let orphans = try await harness.rows(
            "SELECT count(*) FROM orders__lines WHERE _connector_root_id NOT IN (SELECT _connector_id FROM orders)")
        return (orders, lines, Int(orphans.first?.first.flatMap { $0 } ?? "") ?? -1)
    }

    static func run(_ project: ProjectSpec, _ harness: Harness, _ scope: WorkScope = .all) async throws {
        let report = try await PipelineRunner(project: project, destination: harness.destination)
            .run(harness.pipeline, scope: scope)
        #expect(report.succeeded, "\(report.rendered())")
    }

    @Test(
        "two shards each replace only their units' rows; a whole run replaces the table",
        arguments: DestinationKind.available)
    func shardsReplaceTheirUnits(_ kind: DestinationKind) async throws {
        let api = try await API()
        defer { Task { await api.server.shutdown() } }
        let harness = try Harness(kind)
        let project = try Self.project(api, pipeline: harness.pipeline)
        let shards = [try Shard(index: 0, count: 2), try Shard(index: 1, count: 2)]
        let owned = shards.map { s in Self.regions.filter { s.owns(resource: "orders", key: "region=\($0)") } }
        try #require(owned.allSatisfy { $0.count >= 2 }, "each shard needs two regions: \(owned)")
        let unit = { (region: String) in "region=\(region)" }, (mine, theirs) = (owned[0], owned[1])
        for region in Self.regions { api.offer(region, ["\(region)1", "\(region)2"]) }
        try await Self.run(project, harness)
        #expect(try await Self.contents(harness).orders.count == 2 * Self.regions.count)

        // The API changes everywhere; shard 0 runs: its units follow the API, shard 1's stay.
        api.offer(mine[0], ["\(mine[0])1"])  // an order no longer offered
        api.offer(mine[1], [])  // a unit that now returns nothing
        for region in theirs { api.offer(region, ["\(region)9"]) }
        try await Self.run(project, harness, WorkScope(shard: shards[0]))
        var now = try await Self.contents(harness)
        var expected: [String: String] = ["\(mine[0])1": unit(mine[0])]
        for region in mine.dropFirst(2) { for n in 1...2 { expected["\(region)\(n)"] = unit(region) } }
        for region in theirs { for n in 1...2 { expected["\(region)\(n)"] = unit(region) } }
        #expect(now.orders == expected)
        #expect(now.lines == 2 * expected.count && now.orphans == 0)

        // Shard 1 replaces its own units; shard 0's rows stay.
        try await Self.run(project, harness, WorkScope(shard: shards[1]))
        now = try await Self.contents(harness)
        for region in theirs {
            for n in 1...2 { expected["\(region)\(n)"] = nil }
            expected["\(region)9"] = unit(region)
        }
        #expect(now.orders == expected)
        #expect(now.lines == 2 * expected.count && now.orphans == 0)

        // A `--partition` run replaces that unit alone.
        api.offer(theirs[0], ["\(theirs[0])7"])
        try await Self.run(project, harness, WorkScope(partitions: ["region": theirs[0]]))
        expected["\(theirs[0])9"] = nil
        expected["\(theirs[0])7"] = unit(theirs[0])
        #expect(try await Self.contents(harness).orders == expected)

        // A whole run still replaces the table.
        for region in Self.regions { api.offer(region, []) }
        api.offer(theirs[1], ["x"])
        try await Self.run(project, harness)
        now = try await Self.contents(harness)
        #expect(now.orders == ["x": unit(theirs[1])])
        #expect(now.lines == 2 && now.orphans == 0)
    }

    @Test(
        "rows loaded without a unit refuse a partial replace until one whole run", arguments: DestinationKind.available)
    func legacyRowsRefuseAPartialReplace(_ kind: DestinationKind) async throws {
        let api = try await API()
        defer { Task { await api.server.shutdown() } }
        let harness = try Harness(kind)
        for region in Self.regions { api.offer(region, ["\(region)1"]) }
        // As an earlier version left it: the table without `_connector_unit`.
        try await Self.run(try Self.project(api, pipeline: harness.pipeline, partitioned: false), harness)
        let project = try Self.project(api, pipeline: harness.pipeline)
        let shard = WorkScope(shard: try Shard(index: 0, count: 2))
        await #expect {
            _ = try await PipelineRunner(project: project, destination: harness.destination)
                .run(harness.pipeline, scope: shard)
        } throws: { error in
            "\(error)".contains("without _connector_unit") && "\(error)".contains("once without --shard")
        }
        #expect(try await harness.rows("SELECT id FROM orders").map { $0[0] } == ["eu1"])  // left as it was
        try await Self.run(project, harness)
        try await Self.run(project, harness, shard)
        #expect(try await Self.contents(harness).orders.count == Self.regions.count)
    }

    @Test(
        "an emptied table without the unit column takes a partial replace of units that return nothing",
        arguments: DestinationKind.available)
    func emptyLegacyTable(_ kind: DestinationKind) async throws {
        let api = try await API()
        defer { Task { await api.server.shutdown() } }
        let harness = try Harness(kind)
        let legacy = try Self.project(api, pipeline: harness.pipeline, partitioned: false)
        api.offer("eu", ["eu1"])
        try await Self.run(legacy, harness)
        api.offer("eu", [])
        try await Self.run(legacy, harness)  // replaced by nothing: the table stays, empty, without the column
        try await Self.run(
            try Self.project(api, pipeline: harness.pipeline), harness, WorkScope(partitions: ["region": "us"]))
        #expect(try await harness.count("orders") == 0)
    }

    @Test(
        "the unit column is bookkeeping: no schema contract keeps it from a table loaded without it",
        arguments: ["freeze", "discard_row", "discard_value"])
    func contractsAdmitTheUnit(_ contract: String) async throws {
        let api = try await API()
        defer { Task { await api.server.shutdown() } }
        let harness = try Harness(.sqlite)
        for region in Self.regions { api.offer(region, ["\(region)1"]) }
        // As an earlier version left it: the partition's column, no `_connector_unit`.
        let legacy = try Self.project(api, pipeline: harness.pipeline, contract: contract, disposition: "append")
        try await Self.run(legacy, harness)
        let project = try Self.project(api, pipeline: harness.pipeline, contract: contract)
        try await Self.run(project, harness)
        try await Self.run(project, harness, WorkScope(shard: try Shard(index: 0, count: 2)))
        let orders = try await Self.contents(harness).orders
        #expect(orders.count == Self.regions.count && !orders.values.contains("NULL"))
    }

    @Test("the files destination refuses a partial replace, loudly")
    func filesRefuse() async throws {
        let api = try await API()
        defer { Task { await api.server.shutdown() } }
        let root = NSTemporaryDirectory() + "connector-partial-replace-" + UUID().uuidString
        let harness = try Harness(destination: FileDestination(root: root + "/{pipeline}"))
        for region in Self.regions { api.offer(region, ["\(region)1"]) }
        let project = try Self.project(api, pipeline: harness.pipeline)
        await #expect {
            _ = try await PipelineRunner(project: project, destination: harness.destination)
                .run(harness.pipeline, scope: WorkScope(shard: try Shard(index: 0, count: 2)))
        } throws: { error in
            "\(error)".contains("cannot replace the rows of some units")
        }
    }
}
