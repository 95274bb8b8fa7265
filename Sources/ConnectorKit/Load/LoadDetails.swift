import Foundation

/// JSON texts stored in the bookkeeping tables, the same for every destination.
public enum LoadDetails {
    struct ResourceDetail: Encodable {
        let resource: String
        let status: String
        let rows: [String: Int]
        let pages: Int
        let requests: Int
        let retries: Int
        let seconds: Double
        let message: String?
        let schema_changes: [String]
        let notes: [String]
    }

    public static func json(_ load: LoadSummary) -> String {
        encode(
            load.reports.map {
                ResourceDetail(
                    resource: $0.resource, status: $0.status.rawValue, rows: $0.rows, pages: $0.pages,
                    requests: $0.requests, retries: $0.retries, seconds: ($0.seconds * 1000).rounded() / 1000,
                    message: $0.message, schema_changes: $0.schemaChanges, notes: $0.notes)
            })
    }

    public static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }
}
