import ConnectorKit

/// The read-only SQL box: results a page at a time (from at most `maxRows` rows) and as CSV.
/// The destination enforces read-only (`ReadOnlyQuerying`); a write is refused with a message.
struct SQLPage {
    static let pageSize = 100
    static let maxRows = 10_000
    static let maxCSVRows = 1_000_000

    let request: DashboardRequest
    let pipeline: DashboardProject.Pipeline

    func render() async -> String {
        let sql = request["q"] ?? ""
        let form = """
            <form method=get action="/sql"><input type=hidden name=p value="\(esc(pipeline.name))">
            <textarea name=q rows=6 placeholder="SELECT … (read-only; Ctrl+Enter runs)">\(esc(sql))</textarea><br>
            <button>run</button></form>
            """
        guard !sql.isEmpty else { return form }
        do {
            let answer = try await run(sql, maxRows: Self.maxRows)
            return form + results(answer, sql: sql)
        } catch let refused as WriteRefused {
            return form + "<p class=error id=sql-error>\(esc(refused.description))</p>"
        } catch {
            return form + "<p class=error id=sql-error>\(esc("\(error)"))</p>"
        }
    }

    func csv() async -> DashboardResponse {
        do {
            let answer = try await run(request["q"] ?? "", maxRows: Self.maxCSVRows)
            let lines = ([answer.result.columns] + answer.result.rows.map { $0.map { $0 ?? "" } }).map(CSV.line)
            return .csv(lines.joined(), filename: "\(pipeline.name)-query.csv")
        } catch {
            return .text(status: 400, "\(error)")
        }
    }

    private func run(_ sql: String, maxRows: Int) async throws -> ReadOnlyResult {
        try await Dataset.with(pipeline) { dataset in
            guard let readOnly = dataset as? any ReadOnlyQuerying else {
                throw DashboardError("destination '\(pipeline.destination.name)' has no SQL (it writes files)")
            }
            return try await readOnly.readOnlyQuery(sql, maxRows: maxRows)
        }
    }

    private func results(_ answer: ReadOnlyResult, sql: String) -> String {
        let rows = answer.result.rows
        let page = request.number("page", default: 0)
        let shown = rows.dropFirst(page * Self.pageSize).prefix(Self.pageSize)
        let pages = max(1, (rows.count + Self.pageSize - 1) / Self.pageSize)
        let link = { (page: Int, label: String) in
            "<a href=\"\(esc(Link.to("/sql", [("p", pipeline.name), ("q", sql), ("page", String(page))])))\">\(label)</a>"
        }
        var pager = [
            "\(rows.count)\(answer.truncated ? "+ (first \(Self.maxRows) kept)" : "") rows",
            "page \(page + 1) of \(pages)",
        ]
        if page > 0 { pager.append(link(page - 1, "← previous")) }
        if page + 1 < pages { pager.append(link(page + 1, "next →")) }
        let csv = Link.to("/sql.csv", [("p", pipeline.name), ("q", sql)])
        pager.append("<a id=csv-link href=\"\(esc(csv))\">CSV</a>")
        return "<p class=pager>" + pager.joined(separator: " · ") + "</p>"
            + Layout.table(answer.result.columns.map(esc), shown.map { $0.map(Cell.render) }, id: "sql-result")
    }
}

/// A dashboard failure with a message for the page.
struct DashboardError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// RFC 4180 lines: a field with a comma, quote or line break is quoted, quotes doubled.
enum CSV {
    static func line(_ fields: [String]) -> String {
        fields.map(CSVField.quote).joined(separator: ",") + "\r\n"
    }
}
