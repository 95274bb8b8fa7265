@testable import ConnectorKit
import Foundation
import Testing

/// `ProgressText` writes a resource's progress in two parts (tables, then the rest); a field of
/// `ResourceProgress` missing from the rest would silently not be checkpointed.
@Suite("Progress text covers every field")
struct ProgressTextTests {
    @Test("the tables and the counters together are exactly ResourceProgress's stored properties")
    func everyField() {
        let progress = Mirror(reflecting: ResourceProgress()).children.compactMap(\.label)
        let counters = Mirror(
            reflecting: ProgressText.Counters(rows: [:], cursors: [:], pages: 0, sequence: 0, schemaChanges: [])
        ).children.compactMap(\.label)
        #expect(progress.sorted() == (["tables"] + counters).sorted())
    }

    @Test("progress written as text reads back the same, whatever its names and cursors hold")
    func roundTrip() throws {
        let progress = ResourceProgress(
            tables: [], rows: ["t": 3, "t__ü \"q\"": 0], cursors: ["": "2024-01-01T00:00:00Z", "a\\b\n": "x\u{1}y€"],
            pages: 7, sequence: -2, schemaChanges: ["added \"c\"", "tab\there"])
        let text = ProgressText.encode(progress, of: "r-\(UUID())")
        let back = try JSONDecoder().decode(ResourceProgress.self, from: Data(text.utf8))
        #expect(back.rows == progress.rows)
        #expect(back.cursors == progress.cursors)
        #expect(back.pages == 7 && back.sequence == -2)
        #expect(back.schemaChanges == progress.schemaChanges)
        #expect(back.tables.isEmpty)
        let empty = ProgressText.encode(ResourceProgress(), of: "r-\(UUID())")
        #expect(try JSONDecoder().decode(ResourceProgress.self, from: Data(empty.utf8)).rows.isEmpty)
    }

    @Test("tables written as text read back the same: parents or none, keys, every type and disposition, odd names")
    func tablesRoundTrip() throws {
        let columns = DataType.allCases.enumerated().map { Column(name: "c\($0.offset) \"ü\"\\\n", type: $0.element) }
        let tables = WriteDisposition.allCases.flatMap { disposition in
            [
                TableSchema(
                    name: "t_\(disposition)", columns: columns, parent: nil, root: "t_\(disposition)",
                    primaryKey: ["id", "k\"ey"], disposition: disposition, resource: "r\t1"),
                TableSchema(
                    name: "t_\(disposition)__c", columns: [], parent: "t_\(disposition)", root: "t_\(disposition)",
                    primaryKey: [], disposition: disposition, resource: "r\t1"),
            ]
        }
        for sample in [tables, []] {
            let text = CheckpointJSON.tables(sample)
            #expect(try JSONDecoder().decode([TableSchema].self, from: Data(text.utf8)) == sample)
            #expect(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [Any] != nil)
        }
    }
}
