import ConnectorKit
import Testing

@Suite("${VAR} expansion")
struct InterpolationTests {
    let at = SpecLocation(file: "f.yaml", line: 1, column: 1)
    let interpolator = Interpolator(environment: ["A": "alpha", "EMPTY": ""])

    @Test(
        "set, defaulted, empty and missing variables",
        arguments: [
            ("x-${A}-y", "x-alpha-y", [String]()),
            ("${B:-beta}", "beta", []),
            ("${EMPTY:-fallback}", "fallback", []),
            ("${B}", "", ["B"]),
            ("plain", "plain", []),
            ("${A}${A}", "alphaalpha", []),
        ])
    func expand(_ input: String, _ value: String, _ missing: [String]) throws {
        let s = try interpolator.expand(input, at: at)
        #expect(s.value == value)
        #expect(s.missingVariables == missing)
    }

    @Test("malformed references are spec errors")
    func malformed() {
        #expect(throws: SpecError.self) { try interpolator.expand("${A", at: at) }
        #expect(throws: SpecError.self) { try interpolator.expand("${A B}", at: at) }
    }
}
