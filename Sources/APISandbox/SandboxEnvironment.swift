/// The variables that point the project's `sources.yaml` at a running sandbox.
public enum SandboxEnvironment {
    public static let forecastIds = SandboxDataset.forecasts.map(\.id)
    /// One job in each state the ingest endpoint answers (200, 202, 400, 500, 202 queued).
    public static let ingestIds = (1...IngestState.allCases.count).map { "ingest-\($0)" }

    public static func variables(baseURL: String, copilotBaseURL: String, credentials: SandboxCredentials) -> [String:
        String]
    {
        [
            "CLARI_API_BASE": baseURL,
            "CLARI_COPILOT_BASE": copilotBaseURL + "/copilot",
            "CLARI_API_KEY": credentials.apiKey,
            "CLARI_PARTNER_KEY": credentials.partnerKey,
            "CLARI_COPILOT_API_KEY": credentials.copilotKey,
            "CLARI_COPILOT_API_PASSWORD": credentials.copilotPassword,
            "CLARI_FORECAST_IDS": forecastIds.joined(separator: ","),
            "CLARI_INGEST_JOB_IDS": ingestIds.joined(separator: ","),
            // The sandbox finishes a job in a few polls and has no rate limit to respect.
            "CLARI_EXPORT_POLL_INTERVAL": "50ms",
            "CLARI_EXPORT_POLL_MAX_INTERVAL": "200ms",
            "CLARI_EXPORT_BUSY_WAIT": "50ms",
            "CLARI_RATE_LIMIT": "0",
        ]
    }
}

extension SandboxServer {
    public var environment: [String: String] {
        SandboxEnvironment.variables(
            baseURL: baseURL, copilotBaseURL: copilotBaseURL, credentials: api.configuration.credentials)
    }
}
