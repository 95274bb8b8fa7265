import Foundation

/// JSON texts stored in the bookkeeping tables, the same for every destination.
public enum LoadDetails {
    /// One resource of one load as stored in `_connector_loads.details` (read back by the dashboard).
    public struct ResourceDetail: Codable, Sendable {
        public let resource: String
        public let status: String
        public let rows: [String: Int]
        public let pages: Int
        public let requests: Int
        public let retries: Int
        public let seconds: Double
        public let message: String?
        public let schema_changes: [String]
        public let notes: [String]
        /// Absent in records written before data checks existed.
        public let checks: [CheckResult]?
    }

    public static func json(_ load: LoadSummary) -> String {
        encode(
            load.reports.map {
                ResourceDetail(
                    resource: $0.resource, status: $0.status.rawValue, rows: $0.rows, pages: $0.pages,
                    requests: $0.requests, retries: $0.retries, seconds: ($0.seconds * 1000).rounded() / 1000,
                    message: $0.message, schema_changes: $0.schemaChanges, notes: $0.notes,
                    checks: $0.checks.isEmpty ? nil : $0.checks)
            })
    }

    public static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }
}
