@testable import ConnectorKit
import Foundation
import Testing

/// Reading `response_actions` (and the path alternatives) from YAML, and matching answers.
@Suite("response_actions: reading and matching")
struct ResponseActionSpecTests {
    func endpoint(_ keys: String) throws -> EndpointSpec {
        let yaml = """
            sources:
              api:
                client: {base_url: http://example.invalid}
                resources:
                  - name: items
                    endpoint: {path: items, \(keys)}
            pipelines:
              p: {source: api}
            """
        let project = try SpecLoader(environment: [:]).parseSources(yaml, file: "sources.yaml")
        return try #require(project.sources.first?.resources.first?.endpoint)
    }

    @Test("rules read in order, with statuses, classes, content and the ignore_statuses shorthand last")
    func reads() throws {
        let e = try endpoint(
            "ignore_statuses: [410], response_actions: [{status: [400, 5xx], content: {path: message.id}, "
                + "action: load}, {status_code: 404, content: gone, action: ignore, message: deleted}]")
        let rules = e.answerRules
        #expect(rules.map(\.action) == [.load, .ignore, .ignore])
        #expect(rules[0].statuses == [.code(400), .range(5)])
        #expect(rules[1].message == "deleted")
        #expect(rules[2].statuses == [.code(410)])
        #expect(rules[0].location?.line == 6)
    }

    @Test(
        "mistakes name the place and the valid choices",
        arguments: [
            ("response_actions: {status: 404, action: ignore}", "must be a list of rules"),
            ("response_actions: [{status: 404}]", "needs 'action', one of: ignore, retry, fail, load"),
            ("response_actions: [{status: 404, action: skip}]", "not one of: ignore, retry, fail, load"),
            ("response_actions: [{action: ignore}]", "matches every answer"),
            ("response_actions: [{status: 301, action: ignore}]", "not 3xx"),
            ("response_actions: [{status: 6xx, action: ignore}]", "a class like 4xx or 5xx"),
            ("response_actions: [{status: 404, status_code: 404, action: ignore}]", "not both"),
            ("response_actions: [{status: 404, action: ignore, when: x}]", "unknown key 'when'"),
            ("response_actions: [{content: {equals: x}, action: ignore}]", "needs 'path'"),
            ("data_selector: []", "empty list"),
        ])
    func mistakes(_ keys: String, _ says: String) throws {
        do {
            _ = try endpoint(keys)
            Issue.record("accepted: \(keys)")
        } catch let e as SpecError {
            #expect(e.description.contains(says), "\(e.description)")
            #expect(e.location?.line == 6, "points into the endpoint: \(e.description)")
        }
    }

    static let rules = [
        ResponseActionSpec(statuses: [.code(404)], action: .ignore),
        ResponseActionSpec(statuses: [.range(5)], content: .path("message.id", equals: nil), action: .load),
        ResponseActionSpec(statuses: [], content: .path("state", equals: ["BUSY", "1", "true"]), action: .retry),
        ResponseActionSpec(statuses: [.code(400)], content: .contains("quota"), action: .fail),
    ]

    @Test(
        "the first rule whose status and content match decides",
        arguments: [
            (404, "anything", ResponseActionSpec.Action.ignore),
            (503, #"{"message":{"id":1}}"#, .load),
            (503, #"{"message":{"id":null}}"#, nil),
            (503, "not json", nil),
            (200, #"{"state":"BUSY"}"#, .retry),
            (200, #"{"state":1}"#, .retry),
            (200, #"{"state":true}"#, .retry),
            (200, #"{"state":"DONE"}"#, nil),
            (400, #"{"error":"monthly quota reached"}"#, .fail),
            (400, #"{"error":"Quota"}"#, nil),
            (401, "{}", nil),
        ] as [(Int, String, ResponseActionSpec.Action?)])
    func matching(_ status: Int, _ body: String, _ action: ResponseActionSpec.Action?) {
        let response = HTTPResponse(status: status, headers: [], body: Array(body.utf8))
        #expect(ResponseRules(Self.rules).match(response)?.action == action)
    }

    @Test("resource_defaults give every resource of a source the same rules; a resource's own list replaces them")
    func sourceWide() throws {
        let yaml = """
            sources:
              api:
                client: {base_url: http://example.invalid}
                resource_defaults:
                  endpoint: {response_actions: [{status: 404, action: ignore}]}
                resources:
                  - name: a
                  - name: b
                    endpoint: {path: b, response_actions: [{status: 5xx, action: fail}]}
            pipelines:
              p: {source: api}
            """
        let project = try SpecLoader(environment: [:]).parseSources(yaml, file: "sources.yaml")
        let resources = try #require(project.sources.first?.resources)
        #expect(resources[0].endpoint.answerRules.map(\.statuses) == [[.code(404)]])
        #expect(resources[1].endpoint.answerRules.map(\.statuses) == [[.range(5)]])
    }

    @Test("data_selector takes one path or alternatives (status_path: see ExportShapeTests)")
    func alternatives() throws {
        #expect(try endpoint("data_selector: [jobs, $]").dataSelector == ["jobs", "$"])
        #expect(try endpoint("data_selector: items").dataSelector == ["items"])
    }
}
