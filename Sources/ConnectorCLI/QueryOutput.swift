import ArgumentParser
import ConnectorKit
import Foundation

/// How `query` prints its result: an aligned table for a person, CSV (RFC 4180, NULL as an
/// empty field) or JSON (an array of objects, NULL as null) for a program.
enum QueryFormat: String, CaseIterable, ExpressibleByArgument {
    case table, csv, json

    func render(_ result: QueryResult) -> String {
        switch self {
        case .table:
            return TextTable.render([result.columns] + result.rows.map { $0.map { $0 ?? "NULL" } })
        case .csv:
            let lines =
                [result.columns.map(CSVField.quote)] + result.rows.map { $0.map { $0.map(CSVField.quote) ?? "" } }
            return lines.map { $0.joined(separator: ",") }.joined(separator: "\r\n")
        case .json:
            let objects = result.rows.map { row in
                Dictionary(
                    zip(result.columns, row.map { $0.map { $0 as Any } ?? NSNull() }), uniquingKeysWith: { a, _ in a })
            }
            let data =
                (try? JSONSerialization.data(withJSONObject: objects, options: [.sortedKeys, .withoutEscapingSlashes]))
            return data.map { String(decoding: $0, as: UTF8.self) } ?? "[]"
        }
    }

}
