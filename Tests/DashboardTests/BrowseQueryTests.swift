import ConnectorKit
import Testing

@testable import Dashboard

/// The table browser's SQL: names from the catalog only, quoted; filter text as a literal.
@Suite("Dashboard browse query")
struct BrowseQueryTests {
    static let table = TableInfo(
        name: "calls\"x", rows: 3, parent: nil,
        columns: [Column(name: "id", type: .text), Column(name: "title", type: .text)])

    @Test(
        "requests become safe SQL",
        arguments: [
            ("/table?t=a", #"SELECT * FROM "calls""x" LIMIT 50 OFFSET 0"#),
            ("/table?sort=title&desc=1&page=2", #"SELECT * FROM "calls""x" ORDER BY "title" DESC LIMIT 50 OFFSET 100"#),
            ("/table?sort=nope;DROP", #"SELECT * FROM "calls""x" LIMIT 50 OFFSET 0"#),
            (
                "/table?col=title&q=o'k",
                #"SELECT * FROM "calls""x" WHERE (lower(CAST("title" AS TEXT)) LIKE '%o''k%') LIMIT 50 OFFSET 0"#
            ),
            (
                "/table?col=evil&q=A",
                #"SELECT * FROM "calls""x" WHERE (lower(CAST("id" AS TEXT)) LIKE '%a%' OR lower(CAST("title" AS TEXT)) LIKE '%a%') LIMIT 50 OFFSET 0"#
            ),
            ("/table?parent=p1", #"SELECT * FROM "calls""x" LIMIT 50 OFFSET 0"#),
        ])
    func sql(uri: String, expected: String) {
        let query = BrowseQuery(request: DashboardRequest(uri: uri), table: Self.table, pageSize: 50)
        #expect(query.pageSQL == expected)
    }

    @Test("a child table filters by its parent's id")
    func parent() {
        var child = Self.table
        child.columns.append(Column(name: SystemColumn.parentId, type: .text))
        let query = BrowseQuery(request: DashboardRequest(uri: "/table?parent=a'b"), table: child, pageSize: 10)
        #expect(query.countSQL == #"SELECT count(*) FROM "calls""x" WHERE "_connector_parent_id" = 'a''b'"#)
    }
}
