@testable import ConnectorKit
import Testing

/// The fingerprint decides whether a run adopts an interrupted load: the same spec read from
/// another working directory (so shown under another path) is the same load; a changed spec is not.
@Suite("Load fingerprint")
struct FingerprintTests {
    static let yaml = """
        sources:
          s:
            client: {base_url: "http://127.0.0.1:9"}
            resources:
              - {name: items, endpoint: {path: items, params: {limit: 10}}}
        pipelines:
          p: {source: s}
        """

    static func fingerprint(_ text: String, file: String) throws -> String {
        let project = try SpecLoader(environment: [:]).parseSources(text, file: file)
        return PipelineRunner.fingerprint("p", project.sources[0].resources, fullRefresh: false)
    }

    @Test("the spec's path as shown does not change it; its content does")
    func pathIndependent() throws {
        let here = try Self.fingerprint(Self.yaml, file: "sources.yaml")
        #expect(try Self.fingerprint(Self.yaml, file: "../project/sources.yaml") == here)
        #expect(
            try Self.fingerprint(Self.yaml.replacingAll("limit: 10", with: "limit: 20"), file: "sources.yaml") != here)
    }
}
