import APISandbox
import ConnectorKit
import Foundation
import Testing

/// Stripe's list API as its docs describe it (https://docs.stripe.com/api/pagination): `GET
/// /v1/customers` answers `{"object": "list", "data": [...], "has_more": bool, "url": ...}`,
/// newest first; the next page is asked with `starting_after=<id of the last object>`;
/// `limit` is 1–100 (default 10); `created[gte]` (epoch seconds) filters; a secret key as a
/// bearer token. Unknown `starting_after` ids and limits over 100 are refused with 400.
final class StripeLoopbackAPI: Sendable {
    struct Customer: Sendable {
        let id: String
        let created: Int
        let email: String
    }

    static let bearer = "sk_test_4eC39HqLyjWDarjtT1zdp7dc"
    private let customers: LockedBox<[Customer]>

    /// `count` customers; two at a time share a `created` second, so a `created[gte]` bound
    /// on the newest one returns both.
    init(count: Int) {
        customers = LockedBox((0..<count).map(Self.customer))
    }

    static func customer(_ n: Int) -> Customer {
        Customer(
            id: "cus_" + String(String(n * 7919 + 100_000, radix: 36).reversed()) + String(n),
            created: 1_700_000_000 + (n / 2) * 3600, email: "customer\(n)@example.com")
    }

    /// Adds `count` newer customers.
    func addCustomers(_ count: Int) {
        customers.withLock { list in list += (list.count..<list.count + count).map(Self.customer) }
    }

    var all: [Customer] { customers.withLock { $0 } }

    func handle(_ r: SandboxRequest) -> SandboxResponse {
        guard r.headers["authorization"] == "Bearer \(Self.bearer)" else { return Self.error(401, "Invalid API Key") }
        guard r.method == "GET", r.path == "/v1/customers" else { return Self.error(404, "Unrecognized request URL") }
        let limit = Int(r.query["limit"] ?? "10") ?? 0
        guard (1...100).contains(limit) else { return Self.error(400, "Invalid integer: limit must be 1-100") }
        // Newest first, ties by id, as a stable order for starting_after.
        var list = all.sorted { ($0.created, $0.id) > ($1.created, $1.id) }
        if let gte = r.query["created[gte]"] {
            guard let bound = Int(gte) else { return Self.error(400, "Invalid integer: created[gte]") }
            list = list.filter { $0.created >= bound }
        }
        if let after = r.query["starting_after"] {
            guard let at = list.firstIndex(where: { $0.id == after }) else {
                return Self.error(400, "No such customer: '\(after)'")
            }
            list = Array(list[(at + 1)...])
        }
        let page = list.prefix(limit).map { c -> [String: Any] in
            [
                "id": c.id, "object": "customer", "created": c.created, "email": c.email, "livemode": false,
                "metadata": ["order": String(c.created)],
            ]
        }
        return PagedAPIServer.json([
            "object": "list", "url": "/v1/customers", "has_more": list.count > limit, "data": page,
        ])
    }

    static func error(_ status: Int, _ message: String) -> SandboxResponse {
        PagedAPIServer.json(["error": ["type": "invalid_request_error", "message": message]], status: status)
    }
}

@Suite("Public API shapes: Stripe lists", .serialized)
struct StripeAPITests {
    static let yaml = """
        sources:
          stripe:
            client:
              base_url: ${STRIPE_API_BASE}/v1
              auth: {type: bearer, token: "${STRIPE_API_KEY}"}
            resources:
              - name: customers
                write_disposition: merge
                primary_key: id
                endpoint:
                  path: customers
                  params: {limit: 100}
                  data_selector: data
                  paginator:
                    type: cursor
                    cursor_from: last_record
                    cursor_path: id
                    cursor_param: starting_after
                    has_more_path: has_more
                  # created is epoch seconds in the records and in the filter: no conversion.
                  incremental: {cursor_path: created, start_param: "created[gte]"}
        pipelines:
          stripe: {source: stripe}
        """

    @Test("loads every customer page by page, then only the new ones, merged without duplicates")
    func customers() async throws {
        let api = StripeLoopbackAPI(count: 253)
        let server = try await PagedAPIServer.start(api.handle)
        defer { Task { await server.shutdown() } }
        let project = try PagedAPIProject(
            yaml: Self.yaml,
            environment: ["STRIPE_API_BASE": server.baseURL, "STRIPE_API_KEY": StripeLoopbackAPI.bearer])

        let first = try await project.run("stripe")
        #expect(first.outcomes.first?.rows["customers"] == api.all.count)
        #expect(try await project.count("stripe", "SELECT count(*) FROM customers") == api.all.count)
        // Each page after the first starts after the last id of the page before.
        let newestFirst = api.all.sorted { ($0.created, $0.id) > ($1.created, $1.id) }
        let asked = server.requests.map { $0.query["starting_after"] }
        #expect(asked == [nil, newestFirst[99].id, newestFirst[199].id])
        #expect(server.requests.allSatisfy { $0.query["created[gte]"] == nil && $0.query["limit"] == "100" })

        let cursor = try #require(api.all.map(\.created).max())
        api.addCustomers(7)
        server.clearLog()
        let second = try await project.run("stripe")
        // Only what changed is asked for: created on or after the newest customer already loaded.
        #expect(server.requests.map { $0.query["created[gte]"] } == [String(cursor)])
        #expect(second.outcomes.first?.rows["customers"] == api.all.filter { $0.created >= cursor }.count)
        let (rows, ids) = try await project.rows("stripe", "customers")
        #expect(rows == api.all.count && ids == api.all.count, "rows \(rows ?? 0), distinct ids \(ids ?? 0)")
    }
}
