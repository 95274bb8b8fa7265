/// Deterministic fault injection: which request numbers fail, and how.
enum Faults {
    /// Faults one request receives in a row at most (`SandboxAPI.fault`).
    static let maxInARow = 2

    static func response(for number: Int, mode: FaultMode) -> SandboxResponse? {
        guard mode == .flaky else { return nil }
        if number % 17 == 3 {
            var r = SandboxResponse.error(429, code: "rate_limited", message: "Too many requests")
            r.headers.append(("Retry-After", number % 34 == 3 ? "1" : "0"))
            return r
        }
        if number % 13 == 5 { return .error(500, code: "internal_error", message: "Injected server error") }
        if number % 19 == 7 { return .error(504, code: "gateway_timeout", message: "Injected gateway timeout") }
        if number % 29 == 13 { var r = SandboxResponse(status: 200, body: []); r.drop = true; return r }
        return nil
    }

    /// Slow answers are still correct answers: the route runs, the reply waits.
    static func delay(for number: Int, mode: FaultMode) -> Double {
        mode == .flaky && number % 23 == 11 ? 0.25 : 0
    }
}
