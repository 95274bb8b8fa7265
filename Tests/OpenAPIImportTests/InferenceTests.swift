import ConnectorKit
import Testing

@testable import OpenAPIImport

/// Each inference of `connector init --openapi` on a small document of its own.
@Suite("OpenAPI import: inference on small documents")
struct InferenceTests {
    static func document(_ version: String = "3.1.0", paths: String, components: String = "") -> String {
        """
        openapi: \(version)
        info: {title: t, version: "1"}
        servers: [{url: "https://api.example.test/v1"}]
        paths:
        \(paths)
        components:
          schemas: {}
        \(components)
        """
    }

    /// Drafts, renders and validates (as `validate` does) a document.
    static func draft(_ text: String) throws -> (SourceDraft, String) {
        let draft = try OpenAPIImporter.draft(name: "t", text: text, file: "t.yml")
        let yaml = OpenAPIImporter.yaml(draft, origin: "t.yml")
        _ = try SpecLoader(environment: [:]).parseSources(yaml, file: "t")
        return (draft, yaml)
    }

    static let listWithOffset = """
          /items:
            get:
              parameters:
                - {name: offset, in: query, schema: {type: integer}}
                - {name: limit, in: query, schema: {type: integer, maximum: 50}}
                - {name: updated_since, in: query, schema: {type: string, format: date-time}}
              responses:
                "200":
                  description: ok
                  content:
                    application/json:
                      schema:
                        type: object
                        properties:
                          total: {type: integer}
                          data: {type: array, items: {$ref: "#/components/schemas/Item"}}
          /items/{itemId}/parts:
            get:
              parameters: [{name: itemId, in: path, required: true, schema: {type: string}}]
              responses:
                "200":
                  description: ok
                  content: {application/json: {schema: {type: array, items: {type: object, properties: {partId: {type: string}}}}}}
        """

    static let itemSchema = """
            Item:
              type: object
              properties: {id: {type: string}, updated_at: {type: string, format: date-time}}
        """

    @Test("OpenAPI 3.1: offset paging with its total, the limit from maximum, data selector, id, child by path")
    func offsetList() throws {
        let text = Self.document(paths: Self.listWithOffset).replacingOccurrences(
            of: "  schemas: {}", with: "  schemas:\n" + Self.itemSchema)
        let (draft, yaml) = try Self.draft(text)
        let items = try #require(draft.resources.first { $0.name == "items" })
        #expect(items.dataSelector?.value == "data")
        #expect(items.primaryKey?.value == ["id"])
        #expect(items.paginator.value == "{type: offset, limit: 50, total_path: total}")
        #expect(items.incremental?.value.contains("start_param: updated_since") == true)
        #expect(items.incremental?.value.contains("cursor_path: updated_at") == true)
        let parts = try #require(draft.resources.first { $0.name == "items_parts" })
        #expect(parts.parent?.resource == "items" && parts.parent?.field == "id")
        #expect(parts.dataSelector?.value == "$")
        #expect(parts.primaryKey?.value == ["partId"])
        #expect(yaml.contains("# high:"))
    }

    @Test("a root array, allOf and oneOf response schemas")
    func composedSchemas() throws {
        let paths = """
              /a:
                get:
                  responses:
                    "200":
                      description: ok
                      content:
                        application/json:
                          schema:
                            allOf:
                              - {type: object, properties: {results: {type: array, items: {type: object, properties: {aId: {type: integer}}}}}}
                              - {type: object, properties: {next: {type: string}}}
              /b:
                get:
                  responses:
                    "200":
                      description: ok
                      content:
                        application/json:
                          schema:
                            oneOf:
                              - {type: object, properties: {jobs: {type: array, items: {type: object}}}}
                              - {type: array, items: {type: object}}
            """
        let (draft, yaml) = try Self.draft(Self.document("3.0.3", paths: paths))
        let a = try #require(draft.resources.first { $0.name == "a" })
        #expect(a.dataSelector?.value == "results")
        #expect(a.primaryKey?.value == ["aId"])
        #expect(a.paginator.value == "{type: json_link, next_url_path: next}")
        let b = try #require(draft.resources.first { $0.name == "b" })
        #expect(b.dataSelector?.value == "[jobs, $]")
        #expect(yaml.contains("data_selector: [jobs, $]"))
    }

    @Test("auth: several api keys at once, bearer, basic, OAuth2 client credentials; secrets as variables")
    func auth() throws {
        let get = "/x:\n    get:\n      responses: {\"200\": {description: ok}}"
        let cases: [(schemes: String, security: String, expect: String)] = [
            ("k: {type: apiKey, in: header, name: X-Key}\n    p: {type: apiKey, in: query, name: pw}", "[{k: [], p: []}]",
             "headers: {X-Key: \"${T_K}\"}"),
            ("b: {type: http, scheme: bearer}", "[{b: []}]", "token: \"${T_B}\""),
            ("h: {type: http, scheme: basic}", "[{h: []}]", "password: \"${T_PASSWORD}\""),
            ("o: {type: oauth2, flows: {clientCredentials: {tokenUrl: \"https://a.test/t\", scopes: {read: r}}}}",
             "[{o: []}]", "client_secret: \"${T_CLIENT_SECRET}\""),
            ("o: {type: oauth2, flows: {implicit: {authorizationUrl: \"https://a.test/a\", scopes: {}}}}",
             "[{o: []}]", "token: \"${T_ACCESS_TOKEN}\""),
        ]
        for c in cases {
            let text = """
                openapi: 3.1.0
                info: {title: t, version: "1"}
                servers: [{url: "https://api.example.test"}]
                security: \(c.security)
                paths:
                  \(get)
                components:
                  securitySchemes:
                    \(c.schemes)
                """
            let (draft, yaml) = try Self.draft(text)
            #expect(yaml.contains(c.expect), "\(c.schemes)\n\(yaml)")
            #expect(draft.variables.count >= 2, "base URL and a secret")
        }
    }

    @Test("page/per_page and cursor/has_more paginators")
    func paginators() throws {
        let paths = """
              /pages:
                get:
                  parameters:
                    - {name: page, in: query, schema: {type: integer}}
                    - {name: per_page, in: query, schema: {type: integer, maximum: 200}}
                  responses: {"200": {description: ok, content: {application/json: {schema: {type: array, items: {type: object}}}}}}
              /cursors:
                get:
                  parameters: [{name: cursor, in: query, schema: {type: string}}]
                  responses:
                    "200":
                      description: ok
                      content:
                        application/json:
                          schema:
                            type: object
                            properties: {items: {type: array, items: {type: object}}, next_cursor: {type: string}, has_more: {type: boolean}}
            """
        let (draft, _) = try Self.draft(Self.document(paths: paths))
        let pages = try #require(draft.resources.first { $0.name == "pages" })
        #expect(pages.paginator.value == "{type: page_number}")
        #expect(pages.params.first?.name == "per_page" && pages.params.first?.value.value == "200")
        let cursors = try #require(draft.resources.first { $0.name == "cursors" })
        #expect(cursors.paginator.value == "{type: cursor, cursor_path: next_cursor, cursor_param: cursor, has_more_path: has_more}")
    }

    @Test("broken and cyclic refs, writes and an export POST: notes and candidates, no crash")
    func brokenRefs() throws {
        let paths = """
              /a:
                get:
                  responses: {"200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Missing"}}}}}
              /b:
                get:
                  responses: {"200": {description: ok, content: {application/json: {schema: {$ref: "#/paths/~1nowhere/get"}}}}}
              /export/things:
                post:
                  responses: {"200": {description: ok}}
              /things:
                delete:
                  responses: {"204": {description: gone}}
            """
        let (draft, yaml) = try Self.draft(Self.document(paths: paths))
        #expect(draft.notes.contains { $0.contains("#/components/schemas/Missing") })
        #expect(draft.notes.contains { $0.contains("DELETE /things") })
        #expect(draft.candidates.map(\.path) == ["/export/things"])
        #expect(yaml.contains("# Notes:"))
    }

    @Test("not OpenAPI 3: a clear error naming the file")
    func notOpenAPI() {
        for text in ["swagger: '2.0'", "a: b", "", "openapi: 4.0.0\ninfo: {title: t, version: '1'}\npaths: {}"] {
            #expect(throws: OpenAPIImportError.self) { try OpenAPIImporter.draft(name: "t", text: text, file: "t.yml") }
        }
    }
}
