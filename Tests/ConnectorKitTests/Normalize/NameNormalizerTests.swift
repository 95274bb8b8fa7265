import ConnectorKit
import Testing

@Suite("Name normalization")
struct NameNormalizerTests {
    @Test(
        "API names become snake_case identifiers",
        arguments: [
            ("eventTimestamp", "event_timestamp"), ("correlationID", "correlation_id"), ("X-Api-Key", "x_api_key"),
            ("already_snake", "already_snake"), ("HTMLParser", "html_parser"), ("2fa", "_2fa"), ("a  b", "a_b"),
            ("Zoë", "zoë"), ("_export_jobs_job_id", "_export_jobs_job_id"), ("select", "select"), ("", "_"),
            ("userId", "user_id"), ("timePeriodId", "time_period_id"),
        ])
    func normalize(_ input: String, _ expected: String) {
        #expect(NameNormalizer.normalize(input) == expected)
    }
}
