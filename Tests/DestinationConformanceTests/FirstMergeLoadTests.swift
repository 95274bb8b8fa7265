import ConnectorKit
import Testing

/// A merged table's first load publishes every staged row and builds its key index unique (SQLite
/// after copying them, PostgreSQL on the staged table it moves in); a repeated key must still fall
/// back to the newest row per key, and the unique index must not refuse rows a later load may
/// repeat keys in.
@Suite struct FirstMergeLoadTests {
    @Test(
        "a first merge load keeps the newest row per key and only its children, repeated key or not",
        arguments: DestinationKind.available, [true, false])
    func firstLoad(_ kind: DestinationKind, repeated: Bool) async throws {
        let h = try Harness(kind)
        let last = repeated ? 1 : 3
        try await h.load(
            #"[{"id":1,"v":"old","tags":["o1"]},{"id":2,"v":"b","tags":["b1"]},"#
                + #"{"id":\#(last),"v":"new","tags":["n1"]}]"#,
            disposition: .merge, primaryKey: ["id"])
        let expected: [[String?]] =
            repeated ? [["1", "new"], ["2", "b"]] : [["1", "old"], ["2", "b"], ["3", "new"]]
        #expect(try await h.rows("SELECT id, v FROM t ORDER BY id") == expected)
        let tags: [[String?]] = repeated ? [["b1"], ["n1"]] : [["b1"], ["n1"], ["o1"]]
        #expect(try await h.rows("SELECT value FROM t__tags ORDER BY value") == tags)
        // The next merge finds the keys (through the index the first load built).
        try await h.load(#"[{"id":2,"v":"b2","tags":[]}]"#, disposition: .merge, primaryKey: ["id"])
        #expect(try await h.rows("SELECT v FROM t WHERE id = 2") == [["b2"]])
        #expect(try await h.count("t__tags") == tags.count - 1)
    }

    @Test(
        "a merged table whose resource turns to append or replace takes keys it already has, or repeated",
        arguments: DestinationKind.available, [WriteDisposition.append, .replace])
    func appendAfterMerge(_ kind: DestinationKind, disposition: WriteDisposition) async throws {
        let h = try Harness(kind)
        try await h.load(#"[{"id":1,"v":"a"},{"id":2,"v":"b"}]"#, disposition: .merge, primaryKey: ["id"])
        try await h.load(#"[{"id":1,"v":"a2"},{"id":1,"v":"a3"}]"#, disposition: disposition, primaryKey: ["id"])
        let expected: [[String?]] = disposition == .append ? [["a"], ["a2"], ["a3"]] : [["a2"], ["a3"]]
        #expect(try await h.rows("SELECT v FROM t WHERE id = 1 ORDER BY v") == expected)
        try await h.load(#"[{"id":1,"v":"a4"}]"#, disposition: .merge, primaryKey: ["id"])
        let after: [[String?]] = disposition == .append ? [["a4"], ["b"]] : [["a4"]]
        #expect(try await h.rows("SELECT v FROM t ORDER BY id") == after)
    }

    @Test(
        "an emptied table's first merged rows keep the newest per key, whatever index it kept",
        arguments: DestinationKind.available, [true, false])
    func emptiedTable(_ kind: DestinationKind, repeated: Bool) async throws {
        let h = try Harness(kind)
        try await h.load(#"[{"id":1,"v":"x"},{"id":1,"v":"y"}]"#, disposition: .append, primaryKey: ["id"])
        try await h.load("[]", disposition: .replace, primaryKey: ["id"])
        #expect(try await h.count("t") == 0)
        let last = repeated ? 1 : 2
        try await h.load(#"[{"id":1,"v":"old"},{"id":\#(last),"v":"new"}]"#, disposition: .merge, primaryKey: ["id"])
        let expected: [[String?]] = repeated ? [["1", "new"]] : [["1", "old"], ["2", "new"]]
        #expect(try await h.rows("SELECT id, v FROM t ORDER BY id") == expected)
        try await h.load(#"[{"id":1,"v":"newer"}]"#, disposition: .merge, primaryKey: ["id"])
        #expect(try await h.rows("SELECT v FROM t WHERE id = 1") == [["newer"]])
    }
}
