import APISandbox
import ConnectorKit
import Foundation
import Testing

/// `connector plan` and `--shard`/`--partition`: the units a run executes, each owned by
/// exactly one shard, children with their parents, and what a partial run refuses.
@Suite("Work plan and shards")
struct WorkPlanTests {
    static func resources(regions: String, disposition: String = "merge") -> String {
        """
              - name: orders
                primary_key: id
                write_disposition: \(disposition)
                endpoint:
                  path: orders/{region}/{year}
                  data_selector: items
                  paginator: single_page
                  partitions:
                    region: {type: list, values: "\(regions)"}
                    year: {type: list, values: "2024,2025,2026"}
              - name: lines
                primary_key: id
                endpoint:
                  path: lines/{order}
                  params: {order: {type: resolve, resource: orders, field: id}}
                  data_selector: items
                  paginator: single_page
              - name: settings
                write_disposition: replace
                endpoint: {path: settings, data_selector: items, paginator: single_page}
        """
    }

    static func plan(_ scope: WorkScope = .all, regions: String = "eu,us,apac,latam") throws -> WorkPlan {
        let project = try TestPipeline.project(baseURL: "http://127.0.0.1:9", resourceYAML: resources(regions: regions))
        return try WorkPlan.make(project, pipeline: "test", scope: scope)
    }

    @Test(
        "shard I/N parses numbers and an environment variable holding the index",
        arguments: [
            ("2/4", 2 as Int?), ("0/1", 0), ("JOB_COMPLETION_INDEX/4", 3), ("4/4", nil), ("-1/4", nil), ("2", nil),
            ("UNSET_INDEX/4", nil), ("1/0", nil),
        ])
    func parsesShards(_ text: String, _ index: Int?) {
        let shard = try? Shard.parse(text, environment: ["JOB_COMPLETION_INDEX": "3"])
        #expect(shard?.index == index, "\(text)")
    }

    @Test("every unit belongs to exactly one of N shards, whatever N", arguments: [1, 2, 3, 4, 7])
    func shardsCoverTheUnits(_ count: Int) throws {
        let all = try Self.plan()
        let roots = Set(all.units.filter { $0.parentUnit == nil }.map(\.name))
        var seen: [String] = []
        for index in 0..<count {
            let units = try Self.plan(WorkScope(shard: try Shard(index: index, count: count))).units
            let mine = Set(units.filter { $0.parentUnit == nil }.map(\.name))
            seen += mine
            // Children go with their parents: each child unit names a parent unit of this shard.
            for child in units where child.parentUnit != nil { #expect(mine.contains(child.parentUnit ?? "")) }
        }
        #expect(seen.count == roots.count)
        #expect(Set(seen) == roots)
        #expect(all.units.count == 12 + 12 + 1)  // 4 regions × 3 years of orders, a lines unit each, settings
        let firstLines = all.units.firstIndex { $0.resource == "lines" } ?? 0
        #expect(firstLines > all.units.lastIndex { $0.resource == "orders" } ?? 0)  // parents first
    }

    @Test("a unit's shard does not change when its partition values are listed in another order or added to")
    func stableUnderReordering() throws {
        let shard = try Shard(index: 1, count: 3)
        let first = try Self.plan(WorkScope(shard: shard), regions: "eu,us,apac,latam").units.map(\.name)
        let reordered = try Self.plan(WorkScope(shard: shard), regions: "latam,apac,us,eu,mena").units.map(\.name)
        #expect(Set(first).isSubset(of: Set(reordered)))
        #expect(!first.isEmpty)
    }

    @Test("--partition keeps the units with that value; resources without the partition have none")
    func partitionScope() throws {
        let plan = try Self.plan(WorkScope(partitions: ["region": "us"]))
        #expect(
            plan.units.filter { $0.parentUnit == nil }.map(\.key) == [
                "region=us,year=2024", "region=us,year=2025", "region=us,year=2026",
            ])
        #expect(plan.notes.contains { $0.hasPrefix("settings: no unit") })
        #expect(throws: WorkScopeError.self) { try Self.plan(WorkScope(partitions: ["regoin": "us"])) }
    }

    @Test("a partial run refuses a replace child of several parent units, and a full refresh")
    func refusesWhatWouldOverwriteOthers() async throws {
        let shard = WorkScope(shard: try Shard(index: 0, count: 2))
        // A partitioned replace root replaces unit by unit (`PartialReplaceTests`).
        let replacedRoot = try TestPipeline.project(
            baseURL: "http://127.0.0.1:9", resourceYAML: Self.resources(regions: "eu,us", disposition: "replace"))
        #expect(throws: Never.self) { try WorkPlan.make(replacedRoot, pipeline: "test", scope: shard) }
        let replacedChild = Self.resources(regions: "eu,us").replacingOccurrences(
            of: "name: lines\n", with: "name: lines\n        write_disposition: replace\n")
        let project = try TestPipeline.project(baseURL: "http://127.0.0.1:9", resourceYAML: replacedChild)
        #expect {
            try WorkPlan.make(project, pipeline: "test", scope: shard)
        } throws: { error in
            "\(error)".contains("resource 'lines' has write_disposition replace")
        }
        // One unit (settings alone) is loaded whole by the one shard that owns it.
        #expect(try WorkPlan.make(project, pipeline: "test", resources: ["settings"], scope: shard).units.count <= 1)
        let runner = PipelineRunner(
            project: try TestPipeline.project(
                baseURL: "http://127.0.0.1:9", resourceYAML: Self.resources(regions: "eu")),
            destination: MemoryDestination())
        await #expect(throws: WorkScopeError.self) { try await runner.run("test", fullRefresh: true, scope: shard) }
    }

    @Test("shards of a run together request and load exactly what one run does, children included")
    func shardsLoadWhatOneRunLoads() async throws {
        let requests = LockedBox([String]())
        let server = try await LoopbackHTTPServer.start { r in
            requests.withLock { $0.append(r.path) }
            let parts = r.path.split(separator: "/").map(String.init)
            let id = parts.joined(separator: "-")
            let items = parts.first == "orders" ? #"[{"id":"\#(id)"},{"id":"\#(id)b"}]"# : #"[{"id":"\#(id)"}]"#
            return SandboxResponse(
                status: 200, headers: [("Content-Type", "application/json")], body: Array("{\"items\":\(items)}".utf8))
        }
        let project = try TestPipeline.project(baseURL: server.baseURL, resourceYAML: Self.resources(regions: "eu,us"))
        let whole = MemoryDestination()
        _ = try await PipelineRunner(project: project, destination: whole).run("test")
        let wholeRequests = requests.withLock { r in
            defer { r.removeAll() }; return r.sorted()
        }
        let sharded = MemoryDestination()
        for index in 0..<3 {
            let report = try await PipelineRunner(project: project, destination: sharded).run(
                "test", scope: WorkScope(shard: try Shard(index: index, count: 3)))
            #expect(report.succeeded, "\(report.rendered())")
        }
        await server.shutdown()
        #expect(requests.withLock { $0.sorted() } == wholeRequests)
        #expect(sharded.rows == whole.rows)
        #expect(whole.rows["lines"] == 12)  // 6 orders units × 2 orders, one line each
        #expect(sharded.state.mapValues(\.cursors) == whole.state.mapValues(\.cursors))
    }
}
