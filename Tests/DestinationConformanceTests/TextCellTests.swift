import Testing

/// Text cells arrive byte for byte whatever their size and neighbours: destinations read a row's
/// texts in place from its batch's one byte buffer (`RowBatch.arena`), so an empty text must stay
/// empty (not NULL), a long text must come whole, and a short row after a long one must not keep
/// the long one's bytes.
@Suite("Destination text cells")
struct TextCellTests {
    @Test("empty, multi-byte, long and short texts load exactly, row after row", arguments: DestinationKind.available)
    func textsLoadExactly(_ kind: DestinationKind) async throws {
        let h = try Harness(kind)
        let long = String(repeating: "ünïcødé 🚀 ", count: 800)  // far beyond the 4 KB first buffer
        let records: [(id: Int, a: String, b: String)] = [(1, "", "x"), (2, long, long + "!"), (3, "é", "")]
        let json = "[" + records.map { #"{"id":\#($0.id),"a":"\#($0.a)","b":"\#($0.b)"}"# }.joined(separator: ",") + "]"
        try await h.load(json, disposition: .append)
        let rows = try await h.rows("SELECT a, b FROM t ORDER BY id")
        #expect(rows.count == 3)
        #expect(rows.first == ["", "x"])
        #expect(rows.dropFirst().first == [long, long + "!"])
        #expect(rows.last == ["é", ""])
    }
}
