import Foundation

/// Rows for what the command line shows and keeps: a refused connection fails each attempt at
/// once (the retry policy, not the HTTP library's connect loop, sets the pace), and the log
/// file holds no secret in any form.
extension HostileCases {
    static let commandLine: [HostileCase] = [
        HostileCase(
            name: "a refused connection fails each attempt at once: 4 attempts in far less than 4 connect timeouts",
            // `{other}` is not started: 127.0.0.1:9, where nothing listens.
            spec: spec(
                client: """
                          retry: {max_attempts: 4, base_delay: 10ms, max_delay: 20ms}
                    """, resources: items("          paginator: {type: single_page}")
            ).replacingOccurrences(of: "base_url: \"{home}\"", with: "base_url: \"{other}\""),
            steps: [
                Step(
                    exitCode: 1, outputContains: ["resource 'items'", "127.0.0.1:9/items", "after 4 attempts"],
                    check: { r in
                        // Before: each attempt spent the 10 s connect timeout retrying inside the
                        // HTTP library (40 s here). The bound is generous, not a speed target.
                        expect(r[0].seconds < 15, "took \(r[0].seconds) s for 4 refused attempts")
                    })
            ],
            budget: Budget(seconds: 60)),
    ]
}
