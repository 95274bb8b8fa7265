import APISandbox
import ConnectorKit
import Foundation
import SQLiteDestination
import Synchronization
import Testing

/// Salesforce's REST query resource as its docs describe it: a token from `POST
/// /services/oauth2/token` (client credentials grant; the answer has no `expires_in`), then
/// `GET /services/data/vXX.X/query?q=<SOQL>` answering `totalSize`, `done` and `records` (each
/// with `attributes`), and while `done` is false a relative `nextRecordsUrl`
/// (`/services/data/v62.0/query/<locator>-<offset>`). `Sforce-Query-Options: batchSize=` sets the
/// page size (200–2000). SOQL dateTime literals must read `YYYY-MM-DDThh:mm:ss(Z|±hh:mm)`;
/// records carry `2023-11-14T22:13:20.000+0000`. Requests without a valid token get 401.
final class SalesforceServer: Sendable {
    static let clientID = "3MVG9fixtureConsumerKey", clientSecret = "fixture-consumer-secret-6502"
    struct Account: Sendable {
        var id: String
        var name: String
        var modified: Int
    }
    private let accounts: Mutex<[Account]>
    private let issued = Mutex<[String]>([])
    /// Every request: method, path, the SOQL asked, the Authorization header, the body.
    let seen = Mutex<[(method: String, path: String, soql: String?, auth: String?, body: String)]>([])

    init(count: Int) {
        accounts = Mutex(
            (1...count).map { Account(id: Self.id($0), name: "Account \($0)", modified: 1_700_000_000 + $0 * 7) })
    }

    static func id(_ n: Int) -> String { "001" + String(repeating: "0", count: 12 - String(n).count) + "\(n)AAA" }
    var all: [Account] { accounts.withLock { $0 } }
    var tokensIssued: Int { issued.withLock { $0.count } }

    /// Edits `count` accounts and adds `new`, all modified after everything before.
    func change(edit count: Int, new: Int) {
        accounts.withLock { list in
            let latest = list.map(\.modified).max() ?? 0
            for i in 0..<count { list[i * 3].modified = latest + 60 + i; list[i * 3].name += " (edited)" }
            let first = list.count + 1
            for n in first..<(first + new) {
                list.append(Account(id: Self.id(n), name: "Account \(n)", modified: latest + 120 + n))
            }
        }
    }

    func answer(_ r: SandboxRequest) -> SandboxResponse {
        let body = String(decoding: r.body, as: UTF8.self)
        seen.withLock { $0.append((r.method, r.path, r.query["q"], r.headers["authorization"], body)) }
        if r.path == "/services/oauth2/token" { return token(body, origin: r.origin) }
        let auth = r.headers["authorization"] ?? ""
        guard auth.hasPrefix("Bearer "), issued.withLock({ $0.contains(String(auth.dropFirst(7))) }) else {
            return Self.error(401, "INVALID_SESSION_ID", "Session expired or invalid")
        }
        let batch = min(
            2000, max(200, Int(r.headers["sforce-query-options"]?.split(separator: "=").last ?? "") ?? 2000))
        if r.path == "/services/data/v62.0/query", let soql = r.query["q"] {
            guard let since = Self.since(soql) else {
                return Self.error(400, "MALFORMED_QUERY", "unexpected token in: \(soql)")
            }
            return page(since: since, offset: 0, batch: batch)
        }
        let prefix = "/services/data/v62.0/query/01gFIXTURE"
        if r.path.hasPrefix(prefix), let dash = r.path.lastIndex(of: "-"),
            let since = Int(r.path[r.path.index(r.path.startIndex, offsetBy: prefix.count)..<dash]),
            let offset = Int(r.path[r.path.index(after: dash)...])
        {
            return page(since: since, offset: offset, batch: batch)
        }
        return Self.error(404, "NOT_FOUND", "The requested resource does not exist")
    }

    /// The client credentials grant: form fields checked, a token with no `expires_in`.
    private func token(_ body: String, origin: String) -> SandboxResponse {
        var form: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map { URLText.decode(String($0)) }
            form[kv[0]] = kv.count > 1 ? kv[1] : ""
        }
        guard form["grant_type"] == "client_credentials", form["client_id"] == Self.clientID,
            form["client_secret"] == Self.clientSecret
        else {
            return SandboxResponse(
                status: 400,
                body: Array(#"{"error":"invalid_client","error_description":"invalid client credentials"}"#.utf8))
        }
        let token = issued.withLock {
            $0.append("00DFIXTURE!AQ\($0.count + 1)token"); return $0[$0.count - 1]
        }
        let json =
            #"{"access_token":"\#(token)","instance_url":"\#(origin)","id":"\#(origin)/id/00D/005","#
            + #""token_type":"Bearer","issued_at":"1700000000000","signature":"c2lnbmF0dXJl"}"#
        return SandboxResponse(status: 200, headers: [("Content-Type", "application/json")], body: Array(json.utf8))
    }

    /// `SELECT … FROM Account [WHERE LastModifiedDate > <dateTime>] ORDER BY LastModifiedDate`:
    /// the lower bound in epoch seconds (Int.min without one); nil for a malformed query.
    static func since(_ soql: String) -> Int? {
        let pattern =
            #/^SELECT Id, Name, LastModifiedDate FROM Account(?: WHERE LastModifiedDate > (\S+))? ORDER BY LastModifiedDate$/#
        guard let match = soql.wholeMatch(of: pattern) else { return nil }
        guard let literal = match.1 else { return Int.min }
        guard literal.wholeMatch(of: #/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)/#) != nil,
            let date = ISO8601DateFormatter().date(from: String(literal))
        else { return nil }
        return Int(date.timeIntervalSince1970)
    }

    private func page(since: Int, offset: Int, batch: Int) -> SandboxResponse {
        let matching = all.filter { $0.modified > since }.sorted { $0.modified < $1.modified }
        let records = matching.dropFirst(offset).prefix(batch).map(Self.json)
        let done = offset + batch >= matching.count
        let next = done ? "" : #","nextRecordsUrl":"/services/data/v62.0/query/01gFIXTURE\#(since)-\#(offset + batch)""#
        let json =
            #"{"totalSize":\#(matching.count),"done":\#(done)\#(next),"records":[\#(records.joined(separator: ","))]}"#
        return SandboxResponse(status: 200, headers: [("Content-Type", "application/json")], body: Array(json.utf8))
    }

    static func json(_ a: Account) -> String {
        var date = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(a.modified)))
        date = date.replacingOccurrences(of: "Z", with: ".000+0000")
        return #"{"attributes":{"type":"Account","url":"/services/data/v62.0/sobjects/Account/\#(a.id)"},"#
            + #""Id":"\#(a.id)","Name":"\#(a.name)","LastModifiedDate":"\#(date)"}"#
    }

    static func error(_ status: Int, _ code: String, _ message: String) -> SandboxResponse {
        SandboxResponse(status: status, body: Array(#"[{"message":"\#(message)","errorCode":"\#(code)"}]"#.utf8))
    }

    /// The snippet a user writes. `lookback` re-renders the stored cursor as ISO 8601 UTC
    /// (`…Z`), the form a SOQL dateTime literal needs (records carry `.000+0000`).
    static func sources(_ base: String) -> String {
        """
        sources:
          salesforce:
            client:
              base_url: \(base)/services/data/v62.0
              headers: {Sforce-Query-Options: batchSize=200}
              auth:
                type: oauth2_client_credentials
                access_token_url: \(base)/services/oauth2/token
                client_id: ${SF_CLIENT_ID}
                client_secret: ${SF_CLIENT_SECRET}
              paginator: {type: json_link, next_url_path: nextRecordsUrl}
            resources:
              - name: accounts
                primary_key: Id
                write_disposition: merge
                endpoint:
                  path: query
                  data_selector: records
                  params:
                    q: "SELECT Id, Name, LastModifiedDate FROM Account WHERE LastModifiedDate > {incremental.start_value} ORDER BY LastModifiedDate"
                  incremental: {cursor_path: LastModifiedDate, initial_value: "2000-01-01T00:00:00Z", lookback: 1s}
        pipelines:
          sf: {source: salesforce}
        """
    }
}

@Suite("Public API shapes: Salesforce query (OAuth 2, nextRecordsUrl, SOQL incremental)", .serialized)
struct SalesforceAPITests {
    static func runner(_ server: LoopbackHTTPServer, secret: String = SalesforceServer.clientSecret) throws
        -> (PipelineRunner, SQLiteDestination)
    {
        let env = ["SF_CLIENT_ID": SalesforceServer.clientID, "SF_CLIENT_SECRET": secret]
        let project = try SpecLoader(environment: env).parseSources(
            SalesforceServer.sources(server.baseURL), file: "sources.yaml")
        let destination = SQLiteDestination(pathTemplate: temporaryDirectory() + "/{pipeline}.sqlite")
        return (PipelineRunner(project: project, destination: destination), destination)
    }

    @Test("loads every account through nextRecordsUrl, merges a rerun, and asks SOQL only for changed accounts")
    func accounts() async throws {
        let salesforce = SalesforceServer(count: 450)
        let server = try await LoopbackHTTPServer.start { r in salesforce.answer(r) }
        let (runner, destination) = try Self.runner(server)
        let first = try await runner.run("sf")
        #expect(first.succeeded, "\(first.outcomes.map { $0.message ?? "" })")
        #expect(try await tableCounts(destination, "sf")["accounts"] == 450)
        let seen = salesforce.seen.withLock { $0 }
        #expect(seen.map(\.path).first == "/services/oauth2/token" && seen.count == 4, "a token, then 200 + 200 + 50")
        let api = seen.dropFirst()
        #expect(api.allSatisfy { $0.auth == "Bearer 00DFIXTURE!AQ1token" })
        #expect(
            api.allSatisfy { !"\($0.auth ?? "") \($0.soql ?? "") \($0.body) \($0.path)".contains("consumer-secret") },
            "the client secret goes only to the token URL")

        let cursor = salesforce.all.map(\.modified).max() ?? 0
        salesforce.change(edit: 5, new: 3)
        salesforce.seen.withLock { $0.removeAll() }
        let second = try await runner.run("sf")
        let asked = salesforce.seen.withLock { $0 }.compactMap(\.soql)
        await server.shutdown()
        #expect(second.succeeded, "\(second.outcomes.map { $0.message ?? "" })")
        let literal = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(cursor - 1)))
        #expect(
            asked == [
                "SELECT Id, Name, LastModifiedDate FROM Account WHERE LastModifiedDate > \(literal) ORDER BY LastModifiedDate"
            ])
        let changed = salesforce.all.filter { $0.modified > cursor - 1 }.count
        #expect(changed == 9, "5 edited, 3 new, and the one at the cursor (1 s lookback)")
        #expect(second.outcomes.first?.rows["accounts"] == changed)
        #expect(try await tableCounts(destination, "sf")["accounts"] == 453)
        #expect(try await scalar(destination, "sf", "SELECT count(DISTINCT id) FROM accounts") == "453")
        #expect(try await scalar(destination, "sf", "SELECT count(*) FROM accounts WHERE name LIKE '%(edited)'") == "5")
        #expect(salesforce.tokensIssued == 2, "each run gets its own token; none is stored")
    }

    @Test("a wrong client secret fails the run naming the token URL and Salesforce's words; nothing loads")
    func wrongSecret() async throws {
        let salesforce = SalesforceServer(count: 10)
        let server = try await LoopbackHTTPServer.start { r in salesforce.answer(r) }
        let (runner, destination) = try Self.runner(server, secret: "wrong-secret-value-1234")
        let report = try await runner.run("sf")
        let seen = salesforce.seen.withLock { $0 }
        await server.shutdown()
        let message = report.outcomes.first?.message ?? ""
        #expect(!report.succeeded)
        #expect(message.contains("POST \(server.baseURL)/services/oauth2/token answered HTTP 400"), "\(message)")
        #expect(message.contains("invalid_client") && !message.contains("wrong-secret-value-1234"), "\(message)")
        #expect(seen.map(\.path) == ["/services/oauth2/token"], "no query is sent without a token")
        #expect(try await tableCounts(destination, "sf")["accounts"] == nil)
    }
}
