@testable import ConnectorKit
import Testing

/// A page with no key that starts a well-known path is passed over in one look at its keys;
/// a page with one is still read path by path, however many other keys it has.
@Suite struct MoreSignalsTests {
    static let filler = (0..<40).map { #""field\#($0)":\#($0)"# }.joined(separator: ",")

    @Test(
        "signs of more pages are found among many keys, and only at their paths",
        arguments: [
            (#"{"pagination":{"has_more":true}}"#, "'pagination.has_more' is true"),
            (#"{"nextPageToken":"t2"}"#, "a cursor at 'nextPageToken'"),
            (#"{"_links":{"next":{"href":"/p?page=2"}}}"#, "a next link at '_links.next.href'"),
            (#"{"done":false}"#, "'done' is false"),
            (#"{"has_more":false}"#, nil),
            (#"{"other":{"has_more":true}}"#, nil),
            (#"{"has_mor":true,"has_moreX":true}"#, nil),
            ("{}", nil),
        ] as [(String, String?)])
    func signs(_ c: (String, String?)) throws {
        let body = "{" + Self.filler + (c.0 == "{}" ? "" : "," + c.0.dropFirst().dropLast()) + "}"
        let parser = JSONParser()  // the document lives as long as its parser
        let document = try parser.parse(Array(body.utf8))
        let response = HTTPResponse(status: 200, headers: [], body: Array(body.utf8))
        #expect(MoreSignals.first(in: response, document: document, kinds: .paged) == c.1)
        withExtendedLifetime(parser) {}
    }
}
