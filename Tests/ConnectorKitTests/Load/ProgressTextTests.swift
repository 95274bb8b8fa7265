@testable import ConnectorKit
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
}
