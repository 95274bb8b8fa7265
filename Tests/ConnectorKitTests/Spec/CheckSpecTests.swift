import ConnectorKit
import Testing

/// `checks:` is read strictly: unknown checks and settings, missing settings and a freshness
/// check without a cursor are errors naming the file and line.
@Suite("checks: in sources.yaml")
struct CheckSpecTests {
    static func spec(_ checks: String, incremental: Bool = true) -> String {
        let cursor = incremental ? ", incremental: {cursor_path: t}" : ""
        return """
            sources:
              s:
                client: {base_url: "http://127.0.0.1:1"}
                resources:
                  - name: r
                    endpoint: {path: r\(cursor)}
                    checks: \(checks)
            """
    }

    @Test(
        "a bad check is refused with its place",
        arguments: [
            (spec("{not_emtpy: {}}"), "unknown key 'not_emtpy'", "did you mean 'not_empty'"),
            (spec("{unique: {percent: 3}}"), "unknown key 'percent'", "Valid keys: severity"),
            (spec("{max_change: {}}"), "check 'max_change' of resource 'r' needs 'percent'", ""),
            (spec("{not_null: {severity: warn}}"), "check 'not_null' of resource 'r' needs 'columns'", ""),
            (spec("{row_count_matches: {}}"), "total_path", ""),
            (spec("{unique: {severity: maybe}}"), "severity", "warn, fail"),
            (spec("{freshness: {max_age: 1d}}", incremental: false), "needs an incremental cursor", ""),
        ])
    func refused(yaml: String, message: String, hint: String) throws {
        let error = #expect(throws: SpecError.self) {
            try SpecLoader(environment: [:]).parseSources(yaml, file: "sources.yaml")
        }
        let text = try #require(error).description
        #expect(text.hasPrefix("sources.yaml:"), "\(text)")
        #expect(text.contains(message) && (hint.isEmpty || text.contains(hint)), "\(text)")
    }

    @Test("settings are read, severity fail by default, column names normalized")
    func read() throws {
        let yaml = Self.spec(
            "{not_empty: {}, max_change: {percent: 20, severity: warn}, not_null: {columns: [userId]}, "
                + "freshness: {max_age: 2d}, row_count_matches: {total_path: pagination.matched}}")
        let checks = try SpecLoader(environment: [:]).parseSources(yaml, file: "s.yaml").sources[0].resources[0].checks
        #expect(
            checks.map { $0.kind.rawValue } == [
                "not_empty", "row_count_matches", "max_change", "not_null", "freshness",
            ])
        #expect(checks.map { $0.severity.rawValue } == ["fail", "fail", "warn", "fail", "fail"])
        #expect(checks[1].totalPath == "pagination.matched")
        #expect(checks[2].percent == 20)
        #expect(checks[3].columns == ["user_id"])
        #expect(checks[4].maxAgeSeconds == 172_800)
    }
}
