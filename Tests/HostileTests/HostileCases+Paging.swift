import Foundation

/// Rows for APIs that say more pages follow but give no way on, run through the real binary:
/// the run exits 1 naming what was looked for, after asking for exactly the pages that were
/// there — never exit 0 with the first pages only.
extension HostileCases {
    static let shortLoads: [HostileCase] = [
        HostileCase(
            name: "a Stripe-shaped list: has_more true on an empty page, no last record to start after; exit 1",
            spec: spec(
                client: "",
                resources: items(
                    "          paginator: {type: cursor, cursor_from: last_record, cursor_param: starting_after, "
                        + "has_more_path: has_more}")),
            home: { r in
                r.query["starting_after"] == nil
                    ? .json(page(0..<100, "\"has_more\": true")) : .json(page([Int](), "\"has_more\": true"))
            },
            steps: [
                Step(
                    exitCode: 1,
                    outputContains: ["resource 'items'", "'has_more' is true", "no cursor at 'id' in the last record"],
                    check: { r in
                        expect(
                            r[0].home.map { $0.query["starting_after"] } == [nil, "99"],
                            "pages asked: \(r[0].home.map(\.rawQuery))")
                    })
            ]),
        HostileCase(
            name: "a header cursor that stops while the body still says has_more; exit 1",
            spec: spec(client: "", resources: items("          paginator: {type: header_cursor, cursor_key: X-Next}")),
            home: { r in
                r.query["cursor"] == nil
                    ? .json(page(0..<10, "\"meta\": {\"has_more\": true}"), headers: [("X-Next", "p2")])
                    : .json(page(10..<20, "\"meta\": {\"has_more\": true}"))
            },
            steps: [
                Step(exitCode: 1, outputContains: ["'meta.has_more' is true", "no cursor in the 'X-Next' header"])
            ]),
    ]
}
