import ConnectorKit
import Testing

/// Memory of pending batches: a batch of one small page must not carry a buffer as large as the
/// largest page the table ever had (scale 100: thousands of one-record pages pending at once).
/// A batch starts with room like the one before it, a small page's at most (4,096 cells), so the
/// first small page after a large one holds at most that, and the ones after it hold their own.
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
        var capacities: [Int] = []
        for _ in 0..<3 {
            for record in try parser.parse(Array(#"[{"id":1}]"#.utf8)).elements {
                try n.add(record, to: "t", extras: [])
            }
            let small = try #require(n.takeBatches().first)
            #expect(small.count == 1)
            capacities.append(small.cells.capacity)
        }
        #expect(capacities[0] <= 4_096 + 16, "capacities \(capacities)")  // 5,000 rows' cells would be ~15,000
        #expect(capacities[1...].allSatisfy { $0 < 100 }, "capacities \(capacities)")
    }

    @Test("a page's batch starts with room like the page before it: later pages do not regrow")
    func roomLikeThePageBefore() throws {
        let parser = JSONParser()
        let n = RecordNormalizer(loadId: "L1", maxNesting: 6)
        n.declareRoot("t", primaryKey: [], disposition: .append, resource: "t")
        let page = "[" + (0..<40).map { #"{"id":\#($0),"name":"n\#($0)"}"# }.joined(separator: ",") + "]"
        var capacities: [Int] = []
        for _ in 0..<3 {
            for record in try parser.parse(Array(page.utf8)).elements { try n.add(record, to: "t", extras: []) }
            let batch = try #require(n.takeBatches().first)
            capacities.append(batch.cells.capacity - batch.cells.count)
        }
        // The first page grew its buffer by doubling (room to spare); later ones had room made for them.
        #expect(capacities[1...].allSatisfy { $0 < 8 }, "spare cells \(capacities)")
    }
}
