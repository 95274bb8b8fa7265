import Foundation

/// Rows for hostile specs and hostile values: alias bombs, numbers no double holds, resources
/// that resolve from each other, and a resolve field no parent record has.
extension HostileCases {
    /// Ten levels of ten aliases each: 10^10 nodes once expanded, about a kilobyte of text.
    static func aliasBomb(levels: Int = 10) -> String {
        var lines = ["bomb:", "  l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
        for level in 1..<levels {
            let row = Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ")
            lines.append("  l\(level): &l\(level) [\(row)]")
        }
        return lines.joined(separator: "\n")
    }

    /// Two resources; `a` resolves from `b` and `b` from `a`.
    static let cyclicResources = """
              - name: a
                endpoint:
                  path: a
                  params: {id: {type: resolve, resource: b, field: id}}
              - name: b
                endpoint:
                  path: b
                  params: {id: {type: resolve, resource: a, field: id}}
        """

    static let hostileSpecs: [HostileCase] = [
        HostileCase(
            name: "a 1 KB sources.yaml of nested aliases is refused at the alias, in little time and memory",
            spec: spec(client: "", resources: items("")) + "\n" + aliasBomb(),
            steps: [
                Step(arguments: ["validate"], exitCode: 2, outputContains: ["sources.yaml:", "aliases up to '*l"])
            ],
            budget: Budget(seconds: 10, memoryMB: 600)),
        HostileCase(
            name: "resources that resolve from each other fail validate, naming the cycle",
            spec: spec(client: "", resources: cyclicResources),
            steps: [Step(arguments: ["validate"], exitCode: 2, outputContains: ["a → b → a", "sources.yaml:"])]),
    ]

    /// Two ids above Int64.max that a double would make equal.
    static let bigIDs = ["9223372036854775808", "9223372036854775809"]

    static let hostileValues: [HostileCase] = [
        HostileCase(
            name: "integers past 64 bits load exactly, as distinct rows",
            spec: spec(client: "", resources: items("          paginator: single_page")),
            home: { _ in .json("{\"items\": [{\"id\": \(bigIDs[0])}, {\"id\": \(bigIDs[1])}]}") },
            steps: [
                Step(check: { r in
                    expect(r[0].reported("rows") == 2, "rows: \(String(describing: r[0].reported("rows")))")
                }),
                Step(
                    arguments: ["query", "p", "SELECT CAST(id AS TEXT) || '!' FROM items ORDER BY 1"],
                    outputContains: bigIDs.map { $0 + "!" }),
            ]),
        HostileCase(
            name: "a number beyond every destination fails the run naming the field",
            spec: spec(client: "", resources: items("          paginator: single_page")),
            home: { _ in .json("{\"items\": [{\"id\": 1, \"price\": {\"amount\": 1e999999}}]}") },
            steps: [Step(arguments: ["run", "p"], exitCode: 1, outputContains: ["price.amount", "1e999999"])]),
        HostileCase(
            name: "a retry that waits a second or more is shown while it happens, naming request, cause and attempt",
            spec: spec(client: "", resources: items("          paginator: single_page")),
            home: { r in
                r.number == 1 ? .json("{}", status: 503, headers: [("Retry-After", "1")]) : .json(page(1...2))
            },
            steps: [
                Step(arguments: ["run", "p"], outputContains: ["GET ", "/items: HTTP 503; retry 2/", " in 1.0 s"])
            ]),
        HostileCase(
            name: "a resolve field that no parent record has fails the child instead of loading nothing",
            spec: spec(
                client: "",
                resources: """
                          - name: parents
                            endpoint: {path: parents, data_selector: items, paginator: single_page}
                          - name: children
                            endpoint:
                              path: children
                              paginator: single_page
                              params: {pid: {type: resolve, resource: parents, field: idd}}
                    """),
            home: { r in r.path.hasSuffix("parents") ? .json(page(1...3)) : .json("{\"items\": []}") },
            steps: [Step(arguments: ["run", "p"], exitCode: 1, outputContains: ["idd", "none of its 3 record"])]),
    ]
}
