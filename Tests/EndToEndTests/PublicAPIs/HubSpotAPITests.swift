import APISandbox
import ConnectorKit
import Foundation
import Testing

/// HubSpot's CRM v3 objects API as its docs describe it
/// (https://developers.hubspot.com/docs/api/crm/contacts, …/crm/search): `GET
/// /crm/v3/objects/contacts?limit=&after=` answers `{"results": [...], "paging": {"next":
/// {"after": "…", "link": "…"}}}`, `paging` absent on the last page, `limit` ≤ 100; `POST
/// /crm/v3/objects/contacts/search` takes `{"filterGroups": [{"filters": [{"propertyName",
/// "operator": "GTE", "value"}]}], "sorts", "properties", "limit" (≤ 200), "after"}` and answers
/// `{"total", "results", "paging"}` the same way. A private-app token as a bearer token.
final class HubSpotLoopbackAPI: Sendable {
    struct Contact: Sendable {
        let id: Int
        var firstname: String
        var modified: String
        let created: String
    }

    static let token = "pat-na1-11111111-2222-3333-4444-555555555555"
    private let contacts: LockedBox<[Contact]>

    init(count: Int) { contacts = LockedBox((1...count).map { Self.contact($0, minute: $0) }) }

    static func stamp(minute: Int) -> String {
        let day = 1 + minute / 1440
        let (h, m) = (minute % 1440 / 60, minute % 60)
        return "2024-03-" + pad(day) + "T" + pad(h) + ":" + pad(m) + ":00.000Z"
    }
    static func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    static func contact(_ id: Int, minute: Int) -> Contact {
        Contact(id: id, firstname: "Ada\(id)", modified: stamp(minute: minute), created: stamp(minute: id))
    }

    var all: [Contact] { contacts.withLock { $0 } }

    /// Edits `edited` existing contacts and adds `added` new ones, all modified after every other.
    func change(edited: [Int], added: Int) {
        contacts.withLock { list in
            let minute = list.count + 10_000
            for (n, id) in edited.enumerated() {
                list[id - 1].firstname += " (v2)"
                list[id - 1].modified = Self.stamp(minute: minute + n)
            }
            list += (list.count + 1...list.count + added).map { Self.contact($0, minute: minute + 100 + $0) }
        }
    }

    func handle(_ r: SandboxRequest) -> SandboxResponse {
        guard r.headers["authorization"] == "Bearer \(Self.token)" else { return Self.error(401, "Authentication") }
        switch (r.method, r.path) {
        case ("GET", "/crm/v3/objects/contacts"):
            let limit = Int(r.query["limit"] ?? "10") ?? 0
            guard (1...100).contains(limit) else { return Self.error(400, "limit must be 1-100") }
            return page(all, after: r.query["after"], limit: limit, origin: r.origin, total: false)
        case ("POST", "/crm/v3/objects/contacts/search"):
            let body = PagedAPIServer.body(r)
            let limit = body["limit"] as? Int ?? 10
            guard (1...200).contains(limit) else { return Self.error(400, "limit must be 1-200") }
            guard let since = Self.lastModifiedFilter(body) else { return Self.error(400, "filter expected") }
            let matching = all.filter { $0.modified >= since }.sorted { ($0.modified, $0.id) < ($1.modified, $1.id) }
            return page(matching, after: body["after"] as? String, limit: limit, origin: r.origin, total: true)
        default:
            return Self.error(404, "Not found")
        }
    }

    /// The `lastmodifieddate GTE` value of a search body.
    static func lastModifiedFilter(_ body: [String: Any]) -> String? {
        let groups = body["filterGroups"] as? [[String: Any]] ?? []
        let filters = groups.flatMap { $0["filters"] as? [[String: Any]] ?? [] }
        let filter = filters.first {
            $0["propertyName"] as? String == "lastmodifieddate" && $0["operator"] as? String == "GTE"
        }
        return filter?["value"] as? String
    }

    private func page(_ list: [Contact], after: String?, limit: Int, origin: String, total: Bool) -> SandboxResponse {
        let start = after.flatMap { Int($0) } ?? 0
        let end = min(list.count, start + limit)
        var out: [String: Any] = [
            "results": list[min(start, end)..<end].map { c -> [String: Any] in
                [
                    "id": String(c.id), "archived": false, "createdAt": c.created, "updatedAt": c.modified,
                    "properties": [
                        "hs_object_id": String(c.id), "email": "ada\(c.id)@example.com", "firstname": c.firstname,
                        "createdate": c.created, "lastmodifieddate": c.modified,
                    ],
                ]
            }
        ]
        if total { out["total"] = list.count }
        if end < list.count {
            out["paging"] = ["next": ["after": String(end), "link": "\(origin)/crm/v3/objects/contacts?after=\(end)"]]
        }
        return PagedAPIServer.json(out)
    }

    static func error(_ status: Int, _ message: String) -> SandboxResponse {
        PagedAPIServer.json(["status": "error", "message": message, "category": "VALIDATION_ERROR"], status: status)
    }
}

@Suite("Public API shapes: HubSpot CRM", .serialized)
struct HubSpotAPITests {
    static let yaml = """
        sources:
          hubspot:
            client:
              base_url: ${HUBSPOT_API_BASE}/crm/v3
              auth: {type: bearer, token: "${HUBSPOT_TOKEN}"}
            resource_defaults:
              write_disposition: merge
              primary_key: id
            resources:
              - name: contacts
                endpoint:
                  path: objects/contacts
                  params: {limit: 100}
                  data_selector: results
                  paginator: {type: cursor, cursor_path: paging.next.after, cursor_param: after}
              - name: changed_contacts
                endpoint:
                  path: objects/contacts/search
                  method: POST
                  json:
                    filterGroups:
                      - filters:
                          - {propertyName: lastmodifieddate, operator: GTE, value: "{incremental.start_value}"}
                    sorts: [{propertyName: lastmodifieddate, direction: ASCENDING}]
                    properties: [email, firstname, lastmodifieddate]
                    limit: 200
                  data_selector: results
                  # The cursor goes back in the body: {"after": "<paging.next.after>"}.
                  paginator: {type: cursor, cursor_path: paging.next.after, cursor_body_path: after}
                  incremental: {cursor_path: updatedAt, initial_value: "1970-01-01T00:00:00.000Z"}
        pipelines:
          hubspot: {source: hubspot}
        """

    static func start(count: Int) async throws -> (HubSpotLoopbackAPI, PagedAPIServer, PagedAPIProject) {
        let api = HubSpotLoopbackAPI(count: count)
        let server = try await PagedAPIServer.start(api.handle)
        let project = try PagedAPIProject(
            yaml: yaml, environment: ["HUBSPOT_API_BASE": server.baseURL, "HUBSPOT_TOKEN": HubSpotLoopbackAPI.token])
        return (api, server, project)
    }

    @Test("GET contacts: every page by paging.next.after; a rerun merges without duplicates")
    func contacts() async throws {
        let (api, server, project) = try await Self.start(count: 537)
        defer { Task { await server.shutdown() } }
        let first = try await project.run("hubspot", resources: ["contacts"])
        #expect(first.outcomes.first?.rows["contacts"] == api.all.count)
        #expect(server.requests.map { $0.query["after"] } == [nil, "100", "200", "300", "400", "500"])
        _ = try await project.run("hubspot", resources: ["contacts"])
        let (rows, ids) = try await project.rows("hubspot", "contacts")
        #expect(rows == api.all.count && ids == api.all.count, "rows \(rows ?? 0), distinct ids \(ids ?? 0)")
    }

    @Test("POST search: the cursor in the body; the next run asks only for contacts modified since")
    func search() async throws {
        let (api, server, project) = try await Self.start(count: 537)
        defer { Task { await server.shutdown() } }
        let first = try await project.run("hubspot", resources: ["changed_contacts"])
        #expect(first.outcomes.first?.rows["changed_contacts"] == api.all.count)
        let bodies = server.requests.map(PagedAPIServer.body)
        #expect(bodies.map { $0["after"] as? String } == [nil, "200", "400"])
        #expect(bodies.allSatisfy { $0["properties"] as? [String] == ["email", "firstname", "lastmodifieddate"] })

        let cursor = try #require(api.all.map(\.modified).max())
        api.change(edited: [3, 50, 200], added: 4)
        server.clearLog()
        let second = try await project.run("hubspot", resources: ["changed_contacts"])
        let filters = server.requests.map { HubSpotLoopbackAPI.lastModifiedFilter(PagedAPIServer.body($0)) }
        #expect(filters == [cursor], "only contacts modified on or after the stored cursor are asked for")
        #expect(second.outcomes.first?.rows["changed_contacts"] == api.all.filter { $0.modified >= cursor }.count)
        let (rows, ids) = try await project.rows("hubspot", "changed_contacts")
        #expect(rows == api.all.count && ids == api.all.count, "rows \(rows ?? 0), distinct ids \(ids ?? 0)")
        let edited = try await project.count(
            "hubspot", "SELECT count(*) FROM changed_contacts WHERE properties__firstname LIKE '% (v2)'")
        #expect(edited == 3)
    }
}
