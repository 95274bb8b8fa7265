import APISandbox
import ConnectorKit
import Foundation
import Testing

/// Zendesk Support as its docs describe it (developer.zendesk.com: "Paginating through lists
/// using cursor pagination", "Using the Incremental Exports API"). Lists: `GET
/// /api/v2/tickets.json?page[size]=` (≤ 100) then `page[after]=<meta.after_cursor>`, answering
/// `{"tickets", "meta": {"has_more", "after_cursor", "before_cursor"}, "links": {"next",
/// "prev"}}` — here the last page still carries its cursor and link, and `has_more: false` is
/// what ends. The cursor-based incremental export: `GET
/// /api/v2/incremental/tickets/cursor.json?start_time=<epoch s>` then the `after_url` (which
/// carries `cursor=` and no start time), answering `{"tickets", "after_cursor", "after_url",
/// "before_cursor", "before_url", "end_of_stream"}`; `after_url` is there even on the last page,
/// `end_of_stream: true` ends. Tickets carry `generated_timestamp` (epoch s). Basic auth with
/// `{email}/token` and an API token.
final class ZendeskLoopbackAPI: Sendable {
    struct Ticket: Sendable {
        let id: Int
        var subject: String
        var updated: Int
    }

    static let user = "agent@example.com/token"
    static let apiToken = "6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv"
    static let epoch = 1_709_251_200  // 2024-03-01T00:00:00Z
    private let tickets: LockedBox<[Ticket]>

    init(count: Int) {
        tickets = LockedBox(
            (1...count).map { Ticket(id: $0, subject: "Printer \($0) on fire", updated: Self.epoch + $0 * 60) })
    }

    var all: [Ticket] { tickets.withLock { $0 } }

    /// Updates `edited` tickets and adds `added`, all later than every other.
    func change(edited: [Int], added: Int) {
        tickets.withLock { list in
            let later = (list.map(\.updated).max() ?? Self.epoch) + 3600
            for (n, id) in edited.enumerated() {
                list[id - 1].subject += " (solved)"
                list[id - 1].updated = later + n
            }
            let first = list.count + 1
            list += (first..<first + added).map { Ticket(id: $0, subject: "New \($0)", updated: later + $0) }
        }
    }

    func handle(_ r: SandboxRequest) -> SandboxResponse {
        let basic = Data("\(Self.user):\(Self.apiToken)".utf8).base64EncodedString()
        guard r.headers["authorization"] == "Basic \(basic)" else {
            return Self.error(401, "Couldn't authenticate you")
        }
        switch r.path {
        case "/api/v2/tickets.json": return list(r)
        case "/api/v2/incremental/tickets/cursor.json": return export(r)
        default: return Self.error(404, "InvalidEndpoint")
        }
    }

    static func cursor(_ position: Int) -> String { Data("t:\(position)".utf8).base64EncodedString() }
    static func position(_ cursor: String) -> Int? {
        Data(base64Encoded: cursor).flatMap { String(data: $0, encoding: .utf8) }.flatMap { Int($0.dropFirst(2)) }
    }

    private func list(_ r: SandboxRequest) -> SandboxResponse {
        let size = Int(r.query["page[size]"] ?? "100") ?? 0
        guard (1...100).contains(size) else { return Self.error(400, "page[size] must be 1-100") }
        let sorted = all.sorted { $0.id < $1.id }
        var start = 0
        if let after = r.query["page[after]"] {
            guard let at = Self.position(after) else { return Self.error(400, "InvalidPaginationParameter") }
            start = at
        }
        let end = min(sorted.count, start + size)
        let next = "\(r.origin)/api/v2/tickets.json?page%5Bsize%5D=\(size)&page%5Bafter%5D=\(Self.cursor(end))"
        return PagedAPIServer.json([
            "tickets": sorted[min(start, end)..<end].map(Self.json),
            "meta": [
                "has_more": end < sorted.count, "after_cursor": Self.cursor(end), "before_cursor": Self.cursor(start),
            ],
            "links": ["next": next, "prev": NSNull()],
        ])
    }

    private func export(_ r: SandboxRequest) -> SandboxResponse {
        let perPage = Int(r.query["per_page"] ?? "1000") ?? 1000
        let changed = all.sorted { ($0.updated, $0.id) < ($1.updated, $1.id) }
        var start = 0
        if let cursor = r.query["cursor"] {
            guard r.query["start_time"] == nil, let at = Self.position(cursor) else {
                return Self.error(400, "InvalidPaginationParameter")
            }
            start = at
        } else {
            guard let since = r.query["start_time"].flatMap({ Int($0) }) else {
                return Self.error(400, "start_time is required")
            }
            start = changed.firstIndex { $0.updated >= since } ?? changed.count
        }
        let end = min(changed.count, start + perPage)
        let after = "\(r.origin)/api/v2/incremental/tickets/cursor.json?cursor=\(Self.cursor(end))&per_page=\(perPage)"
        return PagedAPIServer.json([
            "tickets": changed[min(start, end)..<end].map(Self.json),
            "after_cursor": Self.cursor(end), "after_url": after, "before_cursor": NSNull(), "before_url": NSNull(),
            "end_of_stream": end >= changed.count,
        ])
    }

    static func json(_ t: Ticket) -> [String: Any] {
        let updated = Date(timeIntervalSince1970: TimeInterval(t.updated)).formatted(.iso8601)
        return [
            "id": t.id, "subject": t.subject, "status": "open", "updated_at": updated, "generated_timestamp": t.updated,
            "tags": ["enterprise"], "custom_fields": [["id": 27642, "value": "745"]],
        ]
    }

    static func error(_ status: Int, _ message: String) -> SandboxResponse {
        PagedAPIServer.json(["error": message], status: status)
    }
}

@Suite("Public API shapes: Zendesk cursors", .serialized)
struct ZendeskAPITests {
    static let yaml = """
        sources:
          zendesk:
            client:
              base_url: ${ZENDESK_API_BASE}/api/v2
              auth: {type: http_basic, username: "${ZENDESK_USER}", password: "${ZENDESK_API_TOKEN}"}
            resource_defaults:
              write_disposition: merge
              primary_key: id
            resources:
              - name: tickets
                endpoint:
                  path: tickets.json
                  params: {"page[size]": 100}
                  data_selector: tickets
                  paginator:
                    {type: cursor, cursor_path: meta.after_cursor, cursor_param: "page[after]", has_more_path: meta.has_more}
              - name: ticket_changes
                endpoint:
                  path: incremental/tickets/cursor.json
                  params: {per_page: 250}
                  data_selector: tickets
                  # after_url holds the cursor; it is still there on the last page: end_of_stream ends.
                  paginator: {type: json_link, next_url_path: after_url, has_more_path: "!end_of_stream"}
                  # generated_timestamp is epoch seconds, as start_time wants: no conversion.
                  incremental: {cursor_path: generated_timestamp, start_param: start_time, initial_value: "0"}
        pipelines:
          zendesk: {source: zendesk}
        """

    static func start(count: Int) async throws -> (ZendeskLoopbackAPI, PagedAPIServer, PagedAPIProject) {
        let api = ZendeskLoopbackAPI(count: count)
        let server = try await PagedAPIServer.start(api.handle)
        let project = try PagedAPIProject(
            yaml: yaml,
            environment: [
                "ZENDESK_API_BASE": server.baseURL, "ZENDESK_USER": ZendeskLoopbackAPI.user,
                "ZENDESK_API_TOKEN": ZendeskLoopbackAPI.apiToken,
            ])
        return (api, server, project)
    }

    @Test("tickets: page[after] from meta.after_cursor until has_more is false; a rerun merges")
    func tickets() async throws {
        let (api, server, project) = try await Self.start(count: 342)
        defer { Task { await server.shutdown() } }
        let first = try await project.run("zendesk", resources: ["tickets"])
        #expect(first.outcomes.first?.rows["tickets"] == api.all.count)
        let after = server.requests.map { $0.query["page[after]"].flatMap(ZendeskLoopbackAPI.position) }
        #expect(after == [nil, 100, 200, 300])
        _ = try await project.run("zendesk", resources: ["tickets"])
        let (rows, ids) = try await project.rows("zendesk", "tickets")
        #expect(rows == api.all.count && ids == api.all.count, "rows \(rows ?? 0), distinct ids \(ids ?? 0)")
    }

    @Test("incremental export: start_time from the stored cursor, then after_url, until end_of_stream")
    func incrementalExport() async throws {
        let (api, server, project) = try await Self.start(count: 342)
        defer { Task { await server.shutdown() } }
        let first = try await project.run("zendesk", resources: ["ticket_changes"])
        #expect(first.outcomes.first?.rows["ticket_changes"] == api.all.count)
        #expect(server.requests.map { $0.query["start_time"] } == ["0", nil])
        #expect(server.requests.count == 2, "342 tickets, 250 per page")

        let cursor = try #require(api.all.map(\.updated).max())
        api.change(edited: [7, 100, 341], added: 5)
        server.clearLog()
        let second = try await project.run("zendesk", resources: ["ticket_changes"])
        #expect(server.requests.map { $0.query["start_time"] } == [String(cursor)])
        #expect(second.outcomes.first?.rows["ticket_changes"] == api.all.filter { $0.updated >= cursor }.count)
        let (rows, ids) = try await project.rows("zendesk", "ticket_changes")
        #expect(rows == api.all.count && ids == api.all.count, "rows \(rows ?? 0), distinct ids \(ids ?? 0)")
        let solved = try await project.count(
            "zendesk", "SELECT count(*) FROM ticket_changes WHERE subject LIKE '%(solved)'")
        #expect(solved == 3)
    }
}
