/// The outcome of one data check of one resource in one load: shown in the run report, stored
/// in `_connector_loads.details`, listed by `connector checks` and the dashboard.
public struct CheckResult: Sendable, Codable, Equatable {
    /// The check's kind as written in `checks:` (`not_empty`, `max_change`, …).
    public var check: String
    /// `warn` or `fail`.
    public var severity: String
    public var passed: Bool
    /// What was measured, in words (`300 rows staged, previous load 280: 7.1%`).
    public var detail: String

    public init(check: String, severity: String, passed: Bool, detail: String) {
        self.check = check
        self.severity = severity
        self.passed = passed
        self.detail = detail
    }

    /// A failed check that keeps the resource from publishing.
    public var blocks: Bool { !passed && severity == "fail" }
}
