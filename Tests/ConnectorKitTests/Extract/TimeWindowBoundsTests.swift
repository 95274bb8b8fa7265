import APISandbox
import CivilTime
@testable import ConnectorKit
import Foundation
import Testing

/// Monthly windows against APIs that read their two time parameters strictly or inclusively,
/// at a precision of a second or a millisecond: records on every window boundary, at both
/// ends of the range and one precision step either side are each returned exactly once.
@Suite("Time windows cover every instant once")
struct TimeWindowBoundsTests {
    struct Case: Sendable, CustomTestStringConvertible {
        /// How the server compares: `time > from` (strict) or `time >= from`; `time < to` or `time <= to`.
        let strictFrom: Bool
        let strictTo: Bool
        let precisionMillis: Int
        var testDescription: String {
            "\(strictFrom ? ">" : ">=") from, \(strictTo ? "<" : "<=") to, precision \(precisionMillis) ms"
        }
        var yaml: String {
            let precision = precisionMillis % 1000 == 0 ? "\(precisionMillis / 1000)s" : "\(precisionMillis)ms"
            return
                "start_bound: \(strictFrom ? "exclusive" : "inclusive"), end_bound: \(strictTo ? "exclusive" : "inclusive"), precision: \(precision)"
        }
    }

    static let cases: [Case] = [
        Case(strictFrom: true, strictTo: true, precisionMillis: 1000),
        Case(strictFrom: false, strictTo: false, precisionMillis: 1000),
        Case(strictFrom: false, strictTo: true, precisionMillis: 1000),
        Case(strictFrom: true, strictTo: false, precisionMillis: 1000),
        Case(strictFrom: true, strictTo: true, precisionMillis: 1),
        Case(strictFrom: false, strictTo: false, precisionMillis: 1),
    ]

    static let rangeStart = "2024-11-01T00:00:00Z", rangeEnd = "2025-02-01T00:00:00Z"
    static func millis(_ iso: String) -> Int {
        var fraction = 0
        if let dot = iso.firstIndex(of: ".") {
            fraction = Int(iso[iso.index(after: dot)...].prefix { $0.isNumber }.prefix(3)) ?? 0
        }
        return (Timestamps.parse(iso) ?? 0) * 1000 + fraction
    }

    /// Record times (ms): on every boundary of the range and one step either side, plus one
    /// inside each month. Those in `[rangeStart, rangeEnd)` must load.
    static func times(step: Int) -> (all: [Int], inRange: Set<Int>) {
        let boundaries = [rangeStart, "2024-12-01T00:00:00Z", "2025-01-01T00:00:00Z", rangeEnd].map(millis)
        var all = boundaries.flatMap { [$0 - step, $0, $0 + step] }
        all += ["2024-11-15T12:00:00Z", "2024-12-15T12:00:00Z", "2025-01-15T12:00:00Z"].map(millis)
        let (lo, hi) = (millis(rangeStart), millis(rangeEnd))
        return (all, Set(all.filter { $0 >= lo && $0 < hi }))
    }

    @Test("every record in the range is returned exactly once", arguments: cases)
    func exactlyOnce(_ c: Case) async throws {
        let (all, inRange) = Self.times(step: c.precisionMillis)
        let served = LockedList<Int>()
        let server = try await LoopbackHTTPServer.start { r in
            let from = Self.millis(r.query["from"] ?? ""), to = Self.millis(r.query["to"] ?? "")
            let hits = all.filter { t in (c.strictFrom ? t > from : t >= from) && (c.strictTo ? t < to : t <= to) }
            served.append(contentsOf: hits)
            let items = hits.map { "{\"id\":\($0)}" }.joined(separator: ",")
            return SandboxResponse(
                status: 200, headers: [("Content-Type", "application/json")], body: Array("{\"items\":[\(items)]}".utf8)
            )
        }
        let resource = """
                  - {name: items, endpoint: {path: items, params: {from: "{w.start}", to: "{w.end}"}, data_selector: items,
                     paginator: single_page, partitions: {w: {type: time_windows, start: "\(Self.rangeStart)", end: "\(Self.rangeEnd)",
                     interval: month, \(c.yaml)}}}}
            """
        let project = try TestPipeline.project(baseURL: server.baseURL, resourceYAML: resource)
        let report = try await PipelineRunner(project: project, destination: MemoryDestination()).run("test")
        await server.shutdown()
        let outcome = try #require(report.outcomes.first)
        #expect(outcome.status == .succeeded, "\(outcome.message ?? "")")
        let returned = served.items
        #expect(
            Set(returned) == inRange,
            "missing: \(inRange.subtracting(returned).sorted()), outside: \(Set(returned).subtracting(inRange).sorted())"
        )
        #expect(returned.count == inRange.count, "returned more than once: \(returned.count) for \(inRange.count)")
        #expect(outcome.rows["items"] == inRange.count)
    }

    @Test("the parameters sent for a window, per declaration")
    func sentValues() throws {
        let at = SpecLocation(file: "f", line: 1, column: 1)
        func sent(_ bounds: WindowBounds) -> [String] {
            let p = PartitionSpec(
                name: "w",
                kind: .timeWindows(
                    start: "2025-01-01T00:00:00Z", end: "2025-02-01T00:00:00Z",
                    interval: .month, bounds: bounds), location: at)
            let item = PartitionExpander.expand([p]).items.first
            return [item?.placeholders["w"], item?.placeholders["w.start"], item?.placeholders["w.end"]].map {
                $0 ?? "-"
            }
        }
        #expect(sent(WindowBounds()) == ["2025-01-01T00:00:00Z", "2025-01-01T00:00:00Z", "2025-02-01T00:00:00Z"])
        #expect(
            sent(WindowBounds(start: .exclusive, end: .exclusive, precisionMillis: 1000))
                == ["2025-01-01T00:00:00Z", "2024-12-31T23:59:59Z", "2025-02-01T00:00:00Z"])
        #expect(
            sent(WindowBounds(start: .inclusive, end: .inclusive, precisionMillis: 1))
                == ["2025-01-01T00:00:00Z", "2025-01-01T00:00:00.000Z", "2025-01-31T23:59:59.999Z"])
    }

    @Test("a precision that is not a whole number of milliseconds is refused with its location")
    func badPrecision() throws {
        let yaml = """
                  - {name: items, endpoint: {path: items, partitions: {w: {type: time_windows, start: "2025-01-01", precision: 0.5ms}}}}
            """
        let e = #expect(throws: SpecError.self) {
            _ = try TestPipeline.project(baseURL: "http://127.0.0.1:9", resourceYAML: yaml)
        }
        #expect(e?.message.contains("precision") == true, "\(String(describing: e))")
        #expect(e?.location?.line == 8, "\(String(describing: e))")
    }
}
