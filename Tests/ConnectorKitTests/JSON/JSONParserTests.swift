import ConnectorKit
import Testing

@Suite("simdjson parsing and paths")
struct JSONParserTests {
    @Test("values, nesting, unicode and paths")
    func walk() throws {
        let parser = JSONParser()
        let doc = try parser.parse(
            Array(#"{"a":{"b":[1,2.5,"x",true,null]},"name":"Zoë \"q\" 更新","big":18446744073709551615}"#.utf8))
        #expect(doc.kind == .object)
        #expect(JSONPath("a.b").evaluate(doc)?.count == 5)
        #expect(JSONPath("a.b.1").evaluate(doc)?.double == 2.5)
        #expect(JSONPath("a.b.2").evaluate(doc)?.string == "x")
        #expect(JSONPath("$.name").evaluate(doc)?.string == "Zoë \"q\" 更新")
        #expect(JSONPath("big").evaluate(doc)?.kind == .uint)
        #expect(JSONPath("a.missing").evaluate(doc) == nil)
        #expect(JSONPath("$").evaluate(doc)?.kind == .object)
        #expect(JSONPath("a").evaluate(doc)?.jsonText == #"{"b":[1,2.5,"x",true,null]}"#)
    }

    @Test("invalid JSON is an error, not a crash", arguments: ["{", "<html>", "{\"a\":}", "[1,2", ""])
    func invalid(_ text: String) {
        let parser = JSONParser()
        #expect(throws: JSONParseError.self) { _ = try parser.parse(Array(text.utf8)) }
    }
}
