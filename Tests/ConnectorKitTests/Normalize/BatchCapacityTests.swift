import ConnectorKit
import Testing

/// Memory of pending batches: a batch of one small page must not carry a buffer as large as the
/// largest page the table ever had (scale 100: thousands of one-record pages pending at once).
@Suite("Row batch capacity")
struct BatchCapacityTests {
    @Test("a small page's batch does not keep the capacity of an earlier large page")
    func noHighWaterCapacity() throws {
        let parser = JSONParser()
        let n = RecordNormalizer(loadId: "L1", maxNesting: 6)
        n.declareRoot("t", primaryKey: [], disposition: .append, resource: "t")
        let large = "[" + (0..<5_000).map { #"{"id":\#($0)}"# }.joined(separator: ",") + "]"
        for record in try parser.parse(Array(large.utf8)).elements { try n.add(record, to: "t", extras: []) }
        #expect(n.takeBatches().first?.rows.count == 5_000)
        for record in try parser.parse(Array(#"[{"id":1}]"#.utf8)).elements { try n.add(record, to: "t", extras: []) }
        let small = try #require(n.takeBatches().first)
        #expect(small.rows.count == 1)
        #expect(small.cells.capacity < 100, "capacity \(small.cells.capacity)")
    }
}
