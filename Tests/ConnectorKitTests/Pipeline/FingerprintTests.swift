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

    static func fingerprint(_ text: String, file: String, environment: [String: String] = [:]) throws -> String {
        let project = try SpecLoader(environment: environment).parseSources(text, file: file)
        return PipelineRunner.fingerprint("p", project.sources[0].resources, fullRefresh: false)
    }

    static let hinted = """
        sources:
          s:
            client: {base_url: "http://127.0.0.1:9"}
            resources:
              - name: items
                endpoint: {path: items, params: {limit: "${LIMIT:-10}"}}
                columns: {a: {data_type: text}, b: {data_type: bigint}, c: {nullable: false}, d: {data_type: decimal}}
        pipelines:
          p: {source: s}
        """

    @Test("the spec's path as shown does not change it; its content does")
    func pathIndependent() throws {
        let here = try Self.fingerprint(Self.yaml, file: "sources.yaml")
        #expect(try Self.fingerprint(Self.yaml, file: "../project/sources.yaml") == here)
        #expect(
            try Self.fingerprint(Self.yaml.replacingAll("limit: 10", with: "limit: 20"), file: "sources.yaml") != here)
    }

    @Test("a resource with several column hints has one fingerprint, however its dictionaries are laid out")
    func dictionaryOrder() throws {
        let project = try SpecLoader(environment: [:]).parseSources(Self.hinted, file: "sources.yaml")
        let resource = project.sources[0].resources[0]
        // The same hints in a dictionary of another capacity iterate in another order, as they do in
        // another process (Swift seeds hashing per process): a printed spec changed with it.
        var relaid = resource
        relaid.columns = Dictionary(minimumCapacity: 97)
        for (key, value) in resource.columns.sorted(by: { $0.key > $1.key }) { relaid.columns[key] = value }
        relaid.columnHints = Dictionary(minimumCapacity: 97)
        for (key, value) in resource.columnHints { relaid.columnHints[key] = value }
        #expect(relaid.columns == resource.columns)
        #expect(
            PipelineRunner.fingerprint("p", [relaid], fullRefresh: false)
                == PipelineRunner.fingerprint("p", [resource], fullRefresh: false))
    }

    @Test("a resource built in code (no declaration) has one fingerprint too, and its content counts")
    func codeBuilt() throws {
        var resource = try SpecLoader(environment: [:]).parseSources(Self.hinted, file: "sources.yaml")
            .sources[0].resources[0]
        resource.declaration = ""
        var relaid = resource
        relaid.columns = Dictionary(minimumCapacity: 97)
        for (key, value) in resource.columns.sorted(by: { $0.key > $1.key }) { relaid.columns[key] = value }
        relaid.columnHints = Dictionary(minimumCapacity: 97)
        for (key, value) in resource.columnHints { relaid.columnHints[key] = value }
        let here = PipelineRunner.fingerprint("p", [resource], fullRefresh: false)
        #expect(PipelineRunner.fingerprint("p", [relaid], fullRefresh: false) == here)
        var elsewhere = try SpecLoader(environment: [:]).parseSources(Self.hinted, file: "../project/sources.yaml")
            .sources[0].resources[0]
        elsewhere.declaration = ""
        #expect(PipelineRunner.fingerprint("p", [elsewhere], fullRefresh: false) == here)
        var changed = resource
        changed.columns["a"] = changed.columns["b"]
        #expect(PipelineRunner.fingerprint("p", [changed], fullRefresh: false) != here)
    }

    @Test("layout, comments and key order do not change it; a variable the resource uses does")
    func declaration() throws {
        let here = try Self.fingerprint(Self.hinted, file: "sources.yaml")
        let relaid = Self.hinted.replacingAll("params: {limit: \"${LIMIT:-10}\"}}", with: "params: {limit: \"${LIMIT:-10}\"}}  # page")
            .replacingAll("{a: {data_type: text}, b: {data_type: bigint}", with: "{b: {data_type: bigint}, a: {data_type: text}")
        #expect(relaid != Self.hinted)
        #expect(try Self.fingerprint(relaid, file: "sources.yaml") == here)
        #expect(try Self.fingerprint(Self.hinted, file: "sources.yaml", environment: ["LIMIT": "10"]) == here)
        #expect(try Self.fingerprint(Self.hinted, file: "sources.yaml", environment: ["LIMIT": "50"]) != here)
        #expect(try Self.fingerprint(Self.hinted.replacingAll("d: {data_type: decimal}", with: "d: {data_type: double}"),
            file: "sources.yaml") != here)
    }

    @Test("a secret in a resource's declaration does not enter it: a rotated key is the same load")
    func secretsMasked() throws {
        let yaml = Self.yaml.replacingAll("params: {limit: 10}", with: "params: {limit: 10, api_key: \"${TOKEN}\"}")
        func fingerprint(_ token: String) throws -> String {
            let project = try SpecLoader(environment: ["TOKEN": token]).parseSources(yaml, file: "sources.yaml")
            let source = project.sources[0]
            let redactor = Redactor(secrets: project.secrets.union(source.derivedSecrets()))
            return PipelineRunner.fingerprint("p", source.resources, fullRefresh: false, redactor: redactor)
        }
        #expect(try fingerprint("tok-aaaa-1111") == fingerprint("tok-bbbb-2222"))
        #expect(try fingerprint("tok-aaaa-1111") != Self.fingerprint(Self.yaml, file: "sources.yaml"))
    }
}
