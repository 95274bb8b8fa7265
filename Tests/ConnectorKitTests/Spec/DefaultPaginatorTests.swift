import ConnectorKit
import Testing

/// The source's `client.paginator` is given to every endpoint that names none when the spec is
/// loaded, so the page walk reads one place and the HTTP client carries no paginator.
@Suite("Spec: the source's default paginator")
struct DefaultPaginatorTests {
    @Test("an endpoint without a paginator gets the source's; one with its own keeps it")
    func resolvedAtLoad() throws {
        let yaml = """
            sources:
              api:
                client:
                  base_url: http://127.0.0.1:9
                  paginator: {type: page_number, page_param: page}
                resources:
                  - {name: plain, endpoint: {path: plain}}
                  - {name: own, endpoint: {path: own, paginator: single_page}}
            pipelines:
              p: {source: api}
            """
        let source = try #require(try SpecLoader(environment: [:]).parseSources(yaml, file: "t.yaml").sources.first)
        guard case .pageNumber? = source.resources[0].endpoint.paginator else {
            Issue.record(
                "expected the source's paginator: \(String(describing: source.resources[0].endpoint.paginator))")
            return
        }
        guard case .singlePage? = source.resources[1].endpoint.paginator else {
            Issue.record("expected the endpoint's own paginator")
            return
        }
    }
}
