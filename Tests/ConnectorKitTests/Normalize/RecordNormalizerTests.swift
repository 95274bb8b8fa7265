import ConnectorKit
import Testing

@Suite("Records into rows")
struct RecordNormalizerTests {
    func normalize(_ json: String, primaryKey: [String] = [], maxNesting: Int = 6) throws -> [String: RowBatch] {
        let parser = JSONParser()
        let doc = try parser.parse(Array(json.utf8))
        let n = RecordNormalizer(loadId: "L1", maxNesting: maxNesting)
        n.declareRoot("t", primaryKey: primaryKey, disposition: .append, resource: "t")
        for record in doc.elements { try n.add(record, to: "t", extras: [("part", .text("p1"))]) }
        var out: [String: RowBatch] = [:]
        for b in n.takeBatches() { out[b.table.name] = b }
        return out
    }

    func cell(_ batch: RowBatch?, _ row: Int, _ column: String) -> Value? {
        guard let batch, let i = batch.table.columns.firstIndex(where: { $0.name == column }) else { return nil }
        let r = batch.rows[row]
        return i < r.count ? r[i] : .null
    }

    /// The load id and a list's parent and root ids are kept once and shared by rows' cells: each
    /// row must still read its own parent's id, and a batch taken must not take the text with it.
    @Test("shared cells: every row reads its own parent's id and the load id, batch after batch")
    func sharedCells() throws {
        let parser = JSONParser()
        let n = RecordNormalizer(loadId: "L-shared", maxNesting: 6)
        n.declareRoot("t", primaryKey: ["id"], disposition: .append, resource: "t")
        var batches: [[String: RowBatch]] = []
        for page in [#"[{"id":1,"tags":["a","b"]},{"id":2,"tags":["c"]}]"#, #"[{"id":3,"tags":["d","e"]}]"#] {
            let doc = try parser.parse(Array(page.utf8))
            for record in doc.elements { try n.add(record, to: "t", extras: []) }
            var out: [String: RowBatch] = [:]
            for b in n.takeBatches() { out[b.table.name] = b }
            batches.append(out)
        }
        var parents: [Value: Value] = [:]  // root id -> record id
        var tags: [(tag: Value?, parent: Value?, root: Value?)] = []
        for batch in batches {
            let root = try #require(batch["t"])
            for r in 0..<root.count {
                #expect(cell(root, r, "_connector_load_id") == .text("L-shared"))
                if let id = cell(root, r, "_connector_id"), let key = cell(root, r, "id") { parents[id] = key }
            }
            let list = try #require(batch["t__tags"])
            for r in 0..<list.count {
                tags.append(
                    (cell(list, r, "value"), cell(list, r, "_connector_parent_id"), cell(list, r, "_connector_root_id"))
                )
            }
        }
        let owners = tags.map { $0.parent.flatMap { parents[$0] } }
        #expect(tags.map(\.tag) == [.text("a"), .text("b"), .text("c"), .text("d"), .text("e")])
        #expect(owners == [.int(1), .int(1), .int(2), .int(3), .int(3)])
        #expect(tags.allSatisfy { $0.parent == $0.root })
    }

    @Test("nested objects flatten with __, lists become linked child tables")
    func nesting() throws {
        let t = try normalize(
            #"[{"id":1,"crmInfo":{"dealId":"d1","owner":{"name":"Zoë"}},"tags":["a","b"],"users":[{"userId":"u1","roles":["x"]}]}]"#
        )
        let root = try #require(t["t"])
        #expect(cell(root, 0, "crm_info__deal_id") == .text("d1"))
        #expect(cell(root, 0, "crm_info__owner__name") == .text("Zoë"))
        #expect(cell(root, 0, "part") == .text("p1"))
        #expect(cell(root, 0, "_connector_load_id") == .text("L1"))
        let tags = try #require(t["t__tags"])
        #expect(tags.rows.count == 2)
        #expect(cell(tags, 1, "value") == .text("b"))
        #expect(cell(tags, 1, "_connector_list_idx") == .int(1))
        let parentId = cell(root, 0, "_connector_id")
        #expect(cell(tags, 0, "_connector_parent_id") == parentId)
        let roles = try #require(t["t__users__roles"])
        #expect(cell(roles, 0, "_connector_root_id") == parentId)
        #expect(cell(roles, 0, "_connector_parent_id") == cell(t["t__users"], 0, "_connector_id"))
    }

    @Test("types are inferred; a conflicting value goes to a variant column, nothing is lost")
    func types() throws {
        let t = try normalize(
            #"[{"n":1,"x":1.5,"b":true,"ts":"2026-01-02T03:04:05Z","s":"hi"},{"n":2.5,"x":2,"ratio":"NaN"},{"n":"NaN","ratio":0.5}]"#
        )
        let root = try #require(t["t"])
        let types = Dictionary(uniqueKeysWithValues: root.table.columns.map { ($0.name, $0.type) })
        #expect(types["n"] == .bigint)
        #expect(types["x"] == .double)
        #expect(types["b"] == .bool)
        #expect(types["ts"] == .timestamp)
        #expect(types["s"] == .text)
        #expect(types["n__v_double"] == .double)
        #expect(types["n__v_text"] == .text)
        #expect(types["ratio"] == .text)
        #expect(types["ratio__v_double"] == .double)
        #expect(cell(root, 1, "x") == .double(2))
        #expect(cell(root, 1, "n__v_double") == .double(2.5))
        #expect(cell(root, 2, "n__v_text") == .text("NaN"))
    }

    @Test("names that collide after normalization get distinct columns")
    func collisions() throws {
        let t = try normalize(#"[{"userId":"a","user_id":"b","User-Id":"c"}]"#)
        let root = try #require(t["t"])
        let names = root.table.columns.map(\.name)
        #expect(names.contains("user_id") && names.contains("user_id_2") && names.contains("user_id_3"))
        #expect(
            Set([cell(root, 0, "user_id"), cell(root, 0, "user_id_2"), cell(root, 0, "user_id_3")]) == [
                .text("a"), .text("b"), .text("c"),
            ])
    }

    @Test("nesting deeper than the limit is kept as JSON text")
    func depth() throws {
        let t = try normalize(#"[{"a":{"b":{"c":{"d":1}}}}]"#, maxNesting: 2)
        let root = try #require(t["t"])
        #expect(cell(root, 0, "a__b") == .text(#"{"c":{"d":1}}"#))
        #expect(root.table.columns.first { $0.name == "a__b" }?.type == .json)
    }

    @Test("primary keys give stable ids; a missing key is a clear error")
    func keys() throws {
        let a = try normalize(#"[{"id":7,"v":1}]"#, primaryKey: ["id"])
        let b = try normalize(#"[{"v":2,"id":7}]"#, primaryKey: ["id"])
        #expect(cell(a["t"], 0, "_connector_id") == cell(b["t"], 0, "_connector_id"))
        #expect(throws: NormalizeError.self) { _ = try normalize(#"[{"v":1}]"#, primaryKey: ["id"]) }
    }
}
