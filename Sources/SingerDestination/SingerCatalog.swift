import ConnectorKit
import Foundation

/// The Singer catalog of a pipeline (`connector tap --discover`, read back by `--catalog`):
/// one stream per table with its JSON Schema, `key_properties`, and metadata saying which
/// resource makes it (`connector-resource`), how it replicates and whether it is selected.
public enum SingerCatalog {
    /// One stream of the catalog.
    public struct Stream: Sendable {
        public var table: TableSchema
        public var incremental: Bool
        public init(table: TableSchema, incremental: Bool) {
            self.table = table
            self.incremental = incremental
        }
    }

    /// The catalog as JSON text (keys sorted, indented); every stream is selected.
    public static func json(_ streams: [Stream]) -> String {
        let entries: [[String: Any]] = streams.map { stream in
            let table = stream.table
            let keys = SingerMessages.keyProperties(table)
            let schema = (try? JSONSerialization.jsonObject(with: Data(SingerSchema.object(table.columns).utf8))) ?? [:]
            let metadata: [String: Any] = [
                "selected": true, "table-key-properties": keys, "connector-resource": table.resource,
                "forced-replication-method": stream.incremental ? "INCREMENTAL" : "FULL_TABLE",
            ]
            return [
                "tap_stream_id": table.name, "stream": table.name, "schema": schema, "key_properties": keys,
                "metadata": [["breadcrumb": [String](), "metadata": metadata]],
            ]
        }
        let options: JSONSerialization.WritingOptions = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let data = (try? JSONSerialization.data(withJSONObject: ["streams": entries], options: options)) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// What a catalog selects: stream names, and the resources that make them (from
    /// `connector-resource` metadata, else the stream's own name).
    public struct Selection: Sendable, Equatable {
        public var streams: Set<String>
        public var resources: Set<String>
    }

    /// Reads the selected streams: `selected: true` in the stream's top-level metadata
    /// (breadcrumb `[]`), or the older `"selected": true` on the stream itself.
    public static func selection(_ data: Data, what: String) throws(SingerError) -> Selection {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
            let streams = object["streams"] as? [[String: Any]]
        else { throw SingerError("\(what) is not a Singer catalog (an object with a 'streams' list)") }
        var selection = Selection(streams: [], resources: [])
        for stream in streams {
            guard let name = (stream["stream"] ?? stream["tap_stream_id"]) as? String else {
                throw SingerError("\(what): a stream has neither 'stream' nor 'tap_stream_id'")
            }
            let top =
                (stream["metadata"] as? [[String: Any]] ?? []).first {
                    ($0["breadcrumb"] as? [Any])?.isEmpty ?? false
                }?["metadata"] as? [String: Any]
            guard (top?["selected"] as? Bool) ?? (stream["selected"] as? Bool) ?? false else { continue }
            selection.streams.insert(name)
            selection.resources.insert(top?["connector-resource"] as? String ?? name)
        }
        return selection
    }
}
