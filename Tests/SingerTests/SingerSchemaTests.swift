@testable import ConnectorKit
import Foundation
import SingerDestination
import Testing

/// The mapping from connector's tables to Singer messages: column types → JSON Schema,
/// primary keys → `key_properties`, cells → record values, state ↔ STATE values.
@Suite struct SingerSchemaTests {
    @Test(
        "each column type maps to a JSON Schema a Singer target reads",
        arguments: [
            (DataType.bigint, #"{"type":["null","integer"]}"#),
            (.double, #"{"type":["null","number"]}"#),
            (.decimal, #"{"type":["null","number"]}"#),
            (.bool, #"{"type":["null","boolean"]}"#),
            (.text, #"{"type":["null","string"]}"#),
            (.timestamp, #"{"type":["null","string"],"format":"date-time"}"#),
            (.json, #"{"type":["null","object","array"]}"#),
        ])
    func property(type: DataType, expected: String) {
        #expect(SingerSchema.property(type) == expected)
    }

    static let columns = [
        Column(name: "id", type: .bigint), Column(name: "name", type: .text),
        Column(name: "amount", type: .decimal), Column(name: "tags", type: .json),
        Column(name: "at", type: .timestamp), Column(name: SystemColumn.id, type: .text),
    ]

    static func table(_ name: String, parent: String? = nil, key: [String] = []) -> TableSchema {
        TableSchema(
            name: name, columns: columns, parent: parent, root: parent ?? name, primaryKey: key,
            disposition: .merge, resource: "items")
    }

    @Test(
        "key_properties: a root's primary key, a child's _connector_id",
        arguments: [
            (table("items", key: ["id"]), ["id"]),
            (table("items"), []),
            (table("items__tags", parent: "items"), [SystemColumn.id]),
        ])
    func keys(table: TableSchema, expected: [String]) throws {
        #expect(SingerMessages.keyProperties(table) == expected)
        let message = try object(SingerMessages.schema(table, keyProperties: expected))
        #expect(message["type"] as? String == "SCHEMA")
        #expect(message["stream"] as? String == table.name)
        #expect(message["key_properties"] as? [String] == expected)
        let properties = (message["schema"] as? [String: Any])?["properties"] as? [String: Any]
        #expect(properties?.keys.sorted() == Self.columns.map(\.name).sorted())
    }

    @Test("a record carries exact numbers and JSON as they are, and leaves nulls out")
    func record() throws {
        let row: [Value] = [
            .int(7), .null, .text("12345678901234567890.5"), .text(#"["a",1]"#), .text("2024-01-02T03:04:05Z"),
        ]
        let line = SingerMessages.record(stream: "items", columns: Self.columns, row: row)
        #expect(
            line
                == #"{"type":"RECORD","stream":"items","record":{"id":7,"amount":12345678901234567890.5,"tags":["a",1],"at":"2024-01-02T03:04:05Z"}}"#
        )
        let message = try object(line)
        #expect((message["record"] as? [String: Any])?["name"] == nil)
    }

    @Test("state round-trips through a STATE message and reads back as the resource's cursors")
    func state() throws {
        var state = SingerState()
        state.apply(StateChange(updates: ResourceState(cursors: ["": "2024-05-01"])), resource: "calls")
        let message = SingerMessages.state(state.json)
        let read = try SingerState.parse(Data(message.utf8), what: "test")
        #expect(read == state)
        #expect(read.resourceState("calls").cursors[""] == "2024-05-01")
        #expect(read.resourceState("other").isEmpty)
    }

    @Test(
        "a catalog selects streams and the resources that make them",
        arguments: [
            (true, Set(["items", "items__tags"])),
            (false, Set<String>()),
        ])
    func catalog(selected: Bool, expected: Set<String>) throws {
        let streams = [Self.table("items", key: ["id"]), Self.table("items__tags", parent: "items")]
        var text = SingerCatalog.json(streams.map { SingerCatalog.Stream(table: $0, incremental: true) })
        if !selected { text = text.replacingOccurrences(of: "\"selected\" : true", with: "\"selected\" : false") }
        let selection = try SingerCatalog.selection(Data(text.utf8), what: "test")
        #expect(selection.streams == expected)
        #expect(selection.resources == (selected ? ["items"] : []))
    }

    private func object(_ line: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }
}
