import APISandbox
import ConnectorKit
import Testing

@Suite("Numbers kept exactly")
struct ExactNumberTests {
    struct Literal: Sendable, CustomTestStringConvertible {
        let text: String
        let kind: JSONValue.Kind
        var testDescription: String { text }
    }

    static let literals: [Literal] = [
        Literal(text: "9223372036854775807", kind: .int),
        Literal(text: "-9223372036854775808", kind: .int),
        Literal(text: "9223372036854775808", kind: .uint),
        Literal(text: "18446744073709551615", kind: .uint),
        Literal(text: "18446744073709551616", kind: .decimal),
        Literal(text: "-9223372036854775809", kind: .decimal),
        Literal(text: "123456789012345678901234567890", kind: .decimal),
        Literal(text: "1e400", kind: .decimal),
        Literal(text: "-1E+400", kind: .decimal),
        Literal(text: "1e-400", kind: .decimal),
        Literal(text: "0.1000000000000000055511151231257827", kind: .decimal),
        Literal(text: "3.14159265358979323846264338327950288", kind: .decimal),
        Literal(text: "9007199254740993.0", kind: .decimal),
        Literal(text: "0.1", kind: .double),
        Literal(text: "-2.5e10", kind: .double),
        Literal(text: "0.30000000000000004", kind: .double),
        Literal(text: "0.10000000000000001", kind: .double),  // 0.1 as %.17g prints it: it round-trips
        Literal(text: "1.7976931348623157e308", kind: .double),
        Literal(text: "5e-324", kind: .double),
        Literal(text: "100000000000000000000.000", kind: .double),
        Literal(text: "0.000000", kind: .double),
    ]

    @Test("a number no int64, uint64 or double holds exactly is a decimal with its exact text", arguments: literals)
    func literal(_ l: Literal) throws {
        let parser = JSONParser()
        // Amid ordinary values, and in both of simdjson's outcomes (accepted and refused documents).
        let doc = try parser.parse(
            Array("{\"before\": 1, \"n\": \(l.text), \"list\": [2.5, \(l.text), \"x\"], \"after\": true}".utf8))
        let value = try #require(doc["n"])
        #expect(value.kind == l.kind)
        if l.kind == .decimal {
            #expect(value.scalarText == l.text)
            #expect(JSONPath("list.1").evaluate(doc)?.decimalText == l.text)
        }
        #expect(doc["before"]?.int == 1)
        #expect(JSONPath("list.0").evaluate(doc)?.double == 2.5)
        #expect(JSONPath("list.2").evaluate(doc)?.string == "x")
        #expect(doc["after"]?.bool == true)
    }

    @Test("JSON text of a container keeps decimals as written")
    func jsonText() throws {
        let parser = JSONParser()
        let doc = try parser.parse(
            Array(#"{"a":{"big":18446744073709551616,"f":1e400,"s":"q\"\n","n":[1,2.5,null]}}"#.utf8))
        #expect(doc["a"]?.jsonText == #"{"big":18446744073709551616,"f":1e400,"s":"q\"\n","n":[1,2.5,null]}"#)
    }

    @Test(
        "malformed numbers are still invalid JSON",
        arguments: ["[01]", "[1.]", "[-]", "[1e]", "[18446744073709551616, 01]"])
    func malformed(_ text: String) {
        #expect(throws: JSONParseError.self) { _ = try JSONParser().parse(Array(text.utf8)) }
    }

    @Test(
        "many decimals among strings, keys and nesting each keep their own text",
        arguments: [1, 2, 3, 4, 5] as [UInt64])
    func mixed(_ seed: UInt64) throws {
        var random = FuzzRandom(state: seed)
        let ordinary = [
            "0", "-7", "42.5", "1e3", "2.5E-3", "9223372036854775807", "18446744073709551615", "0.30000000000000004",
        ]
        var expected: [String?] = []  // the literal for decimals, nil for ordinary numbers
        var parts: [String] = []
        for i in 0..<300 {
            let number: String
            switch random.int(3) {
            case 0:
                number = ordinary[random.int(ordinary.count)]
                expected.append(nil)
            case 1:  // 25 to 29 digits
                number =
                    (random.int(2) == 0 ? "-" : "")
                    + "1\(random.next() % 1_000_000_000_000)\(random.next() % 1_000_000_000_000)"
                expected.append(number)
            default:  // 25 significant digits, far beyond a double's exponent
                number =
                    "\(1 + random.int(9)).\(100_000_000_000 + random.next() % 100_000_000_000)"
                    + "\(100_000_000_000 + random.next() % 100_000_000_000)e\(random.int(2) == 0 ? "-" : "+")\(330 + random.int(200))"
                expected.append(number)
            }
            // Strings with digits and exponents, empty keys, nesting: structurals of every kind between the numbers.
            let wrapped = [
                "\(number)", "{\"e\":\(number)}", "[\"1e999\", {\"\": [\(number)]}]",
                "{\"k\(i)\": true, \"v\": \(number)}",
            ]
            parts.append(wrapped[random.int(wrapped.count)])
        }
        let parser = JSONParser()
        let doc = try parser.parse(Array(("[" + parts.joined(separator: ", ") + "]").utf8))
        var found: [String?] = []
        func collect(_ v: JSONValue) {
            switch v.kind {
            case .array: for e in v.elements { collect(e) }
            case .object: for m in v.members { collect(m.value) }
            case .int, .uint, .double: found.append(nil)
            case .decimal: found.append(v.decimalText)
            default: break
            }
        }
        collect(doc)
        #expect(found == expected)
    }

    func normalize(_ json: String, primaryKey: [String] = [], columns: [String: DataType] = [:]) throws -> (
        RowBatch, [String]
    ) {
        let n = RecordNormalizer(loadId: "L1", maxNesting: 6)
        n.declareRoot("t", primaryKey: primaryKey, disposition: .merge, resource: "t", columns: columns)
        let parser = JSONParser()  // values live as long as their parser
        for record in try parser.parse(Array(json.utf8)).elements { try n.add(record, to: "t", extras: []) }
        let batch = try #require(n.takeBatches().first)
        return (batch, n.takeSchemaChanges())
    }

    func column(_ batch: RowBatch, _ name: String) -> [Value] {
        guard let i = batch.table.columns.firstIndex(where: { $0.name == name }) else { return [] }
        return batch.rows.map { i < $0.count ? $0[i] : .null }
    }

    func type(_ batch: RowBatch, _ name: String) -> DataType? { batch.table.columns.first { $0.name == name }?.type }

    @Test("distinct ids above Int64.max stay distinct rows with their exact text")
    func bigIds() throws {
        // As doubles, the first two are the same number (1.8446744073709552e19).
        let (batch, changes) = try normalize(
            #"[{"id":18446744073709551615},{"id":18446744073709551614},{"id":18446744073709551616},{"id":7}]"#,
            primaryKey: ["id"])
        #expect(type(batch, "id") == .decimal)
        #expect(
            column(batch, "id") == [
                .text("18446744073709551615"), .text("18446744073709551614"), .text("18446744073709551616"), .text("7"),
            ])
        #expect(Set(column(batch, "_connector_id")).count == 4)
        #expect(changes.contains { $0.contains("t.id is decimal") })
    }

    @Test("a big key after small ones says how to declare the column")
    func bigKeyAfterSmall() throws {
        let e = #expect(throws: NormalizeError.self) {
            _ = try normalize(#"[{"id":1},{"id":18446744073709551616}]"#, primaryKey: ["id"])
        }
        #expect(e?.message.contains("id__v_decimal") == true)
        #expect(e?.message.contains("columns: {id: {data_type: decimal}}") == true)
    }

    @Test("declared columns fix the type from the first row", arguments: [DataType.decimal, .text])
    func declared(_ declared: DataType) throws {
        let (batch, _) = try normalize(
            #"[{"id":1},{"id":18446744073709551616},{"id":2.5},{"id":12345678901234567890123}]"#,
            primaryKey: ["id"], columns: ["id": declared])
        #expect(type(batch, "id") == declared)
        #expect(
            column(batch, "id") == [
                .text("1"), .text("18446744073709551616"), .text("2.5"), .text("12345678901234567890123"),
            ])
        #expect(!batch.table.columns.contains { $0.name.hasPrefix("id__v_") })
    }

    @Test("a declared text column takes strings and numbers alike")
    func declaredText() throws {
        let (batch, _) = try normalize(#"[{"ref":"A-1"},{"ref":42},{"ref":true}]"#, columns: ["ref": .text])
        #expect(column(batch, "ref") == [.text("A-1"), .text("42"), .text("true")])
    }

    @Test("a number beyond every destination's exact range fails the record, naming table and field")
    func outOfRange() throws {
        let e = #expect(throws: NormalizeError.self) {
            _ = try normalize(#"[{"id":1,"price":{"amount":1e999999}}]"#)
        }
        #expect(e?.table == "t")
        #expect(e?.message.contains("field 'price.amount'") == true)
        #expect(e?.message.contains("1e999999") == true)
    }

    @Test("cursors order big integers exactly")
    func cursors() {
        #expect(CursorValue.isGreater("18446744073709551617", than: "18446744073709551616"))
        #expect(!CursorValue.isGreater("18446744073709551616", than: "18446744073709551617"))
        #expect(CursorValue.isGreater("9007199254740993", than: "9007199254740992"))
        #expect(CursorValue.isGreater("-1", than: "-2"))
        #expect(CursorValue.isGreater("10", than: "9"))
    }

    @Test("columns: in sources.yaml declares types by column name")
    func spec() throws {
        let yaml = """
            sources:
              api:
                client: {base_url: "http://127.0.0.1:9"}
                resources:
                  - name: deals
                    columns: {id: {data_type: decimal}, ownerRef: {data_type: text}}
            pipelines:
              api: {source: api}
            """
        let resource = try #require(
            try SpecLoader(environment: [:]).parseSources(yaml, file: "s.yaml").sources.first?.resources.first)
        #expect(resource.columns == ["id": .decimal, "owner_ref": .text])
        let bad = yaml.replacingOccurrences(of: "data_type: decimal", with: "data_type: numeric")
        let e = #expect(throws: SpecError.self) {
            _ = try SpecLoader(environment: [:]).parseSources(bad, file: "s.yaml")
        }
        #expect(e?.location?.line == 6)
        #expect(e?.message.contains("'numeric', which is not one of: bigint, double, decimal") == true)
    }

    @Test("through a pipeline: big ids load, and a number out of range fails the resource naming the field")
    func pipeline() async throws {
        let server = try await LoopbackHTTPServer.start { r in
            let body =
                r.path == "/ok"
                ? #"[{"id":18446744073709551616,"n":1},{"id":18446744073709551617,"n":2}]"#
                : #"[{"id":1,"amount":1e999999}]"#
            return SandboxResponse(status: 200, body: Array(body.utf8))
        }
        let project = try TestPipeline.project(
            baseURL: server.baseURL,
            resourceYAML: """
                      - {name: ok, primary_key: id, write_disposition: merge, endpoint: {path: ok, paginator: single_page}}
                      - {name: bad, endpoint: {path: bad, paginator: single_page}}
                """)
        let destination = MemoryDestination()
        let report = try await PipelineRunner(project: project, destination: destination).run("test")
        await server.shutdown()
        let ok = report.outcomes.first { $0.resource == "ok" }
        #expect(ok?.status == .succeeded, "\(ok?.message ?? "")")
        #expect(ok?.rows["ok"] == 2)
        let bad = report.outcomes.first { $0.resource == "bad" }
        #expect(bad?.status == .failed)
        #expect(bad?.message?.contains("field 'amount'") == true, "\(bad?.message ?? "")")
    }
}
