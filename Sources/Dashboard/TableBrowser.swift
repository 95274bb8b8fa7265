import ConnectorKit

/// One table's rows a page at a time: sort by a column, a "contains" filter on one column or
/// any, nested JSON readable, and from each row links to its child rows (`_connector_parent_id`
/// = this row's `_connector_id`) and back to its parent row.
struct TableBrowser {
    static let pageSize = 50

    let request: DashboardRequest
    let pipeline: DashboardProject.Pipeline

    func render() async throws -> String {
        try await Dataset.with(pipeline) { dataset in
            let catalog = try await TableCatalog.read(dataset)
            guard let table = catalog.table(request["t"]) else {
                return Layout.error("no table '\(request["t"] ?? "")'; see the pipeline's tables")
            }
            guard pipeline.destination.capabilities.supportsSQL else {
                return Layout.error("this destination writes files: browse them on disk (\(table.rows) rows)")
            }
            let query = BrowseQuery(request: request, table: table, pageSize: Self.pageSize)
            let total = Int(try await dataset.query(query.countSQL).rows.first?.first.flatMap { $0 } ?? "0") ?? 0
            let result = try await dataset.query(query.pageSQL)
            return form(table, total: total, query: query) + grid(result, table: table, catalog: catalog, query: query)
                + pager(total: total, query: query)
        }
    }

    private func form(_ table: TableInfo, total: Int, query: BrowseQuery) -> String {
        let options = ([""] + table.columns.map(\.name)).map { name in
            "<option value=\"\(esc(name))\"\(name == query.filterColumn ? " selected" : "")>\(name.isEmpty ? "any column" : esc(name))</option>"
        }.joined()
        let scope = query.parentId.map { " · children of <code>\(esc($0))</code>" } ?? ""
        return """
            <p>\(esc(table.name)): <b id=match-count>\(total)</b> rows match of \(table.rows)\(scope)
            \(table.parent.map { " · child of <a href=\"\(esc(Link.to("/table", [("p", pipeline.name), ("t", $0)])))\">\(esc($0))</a>" } ?? "")</p>
            <form method=get action="/table"><input type=hidden name=p value="\(esc(pipeline.name))">
            <input type=hidden name=t value="\(esc(table.name))">
            \(query.parentId.map { "<input type=hidden name=parent value=\"\(esc($0))\">" } ?? "")
            filter <select name=col>\(options)</select> contains <input name=q value="\(esc(query.filterText ?? ""))">
            <button>filter</button></form>
            """
    }

    private func grid(_ result: QueryResult, table: TableInfo, catalog: TableCatalog, query: BrowseQuery) -> String {
        let children = catalog.children(of: table.name)
        let idIndex = result.columns.firstIndex(of: SystemColumn.id)
        let parentIndex = result.columns.firstIndex(of: SystemColumn.parentId)
        let hasRelated = !children.isEmpty || parentIndex != nil
        let header =
            (hasRelated ? ["related"] : [])
            + result.columns.map { column -> String in
                let desc = query.sortColumn == column && !query.descending
                let arrow = query.sortColumn == column ? (query.descending ? " ▼" : " ▲") : ""
                let link = link(table.name, [("sort", column), ("desc", desc ? "1" : nil)], keepFilter: true)
                return "<a href=\"\(esc(link))\">\(esc(column))</a>\(arrow)"
            }
        let rows = result.rows.map { row -> [String] in
            let cells = row.map(Cell.render)
            var related: [String] = []
            if let idIndex, let id = row[idIndex] {
                related += children.map { child in
                    "<a class=child-link href=\"\(esc(Link.to("/table", [("p", pipeline.name), ("t", child.name), ("parent", id)])))\">\(esc(child.name)) ↓</a>"
                }
            }
            if let parentIndex, let parentId = row[parentIndex], let parent = table.parent {
                related.append(
                    "<a class=parent-link href=\"\(esc(Link.to("/table", [("p", pipeline.name), ("t", parent), ("id", parentId)])))\">↑ \(esc(parent))</a>"
                )
            }
            return (hasRelated ? [related.joined(separator: "<br>")] : []) + cells
        }
        return Layout.table(header, rows, id: "rows")
    }

    private func pager(total: Int, query: BrowseQuery) -> String {
        let pages = max(1, (total + Self.pageSize - 1) / Self.pageSize)
        var parts = ["page \(query.page + 1) of \(pages)"]
        if query.page > 0 { parts.insert(pageLink(query.page - 1, "← previous"), at: 0) }
        if query.page + 1 < pages { parts.append(pageLink(query.page + 1, "next →")) }
        return "<p class=pager>" + parts.joined(separator: " ") + "</p>"
    }

    private func pageLink(_ page: Int, _ label: String) -> String {
        let sort: [(String, String?)] = [("sort", request["sort"]), ("desc", request["desc"]), ("page", String(page))]
        return "<a href=\"\(esc(link(request["t"] ?? "", sort, keepFilter: true)))\">\(label)</a>"
    }

    private func link(_ table: String, _ extra: [(String, String?)], keepFilter: Bool) -> String {
        let filter: [(String, String?)] =
            keepFilter
            ? [("col", request["col"]), ("q", request["q"]), ("parent", request["parent"]), ("id", request["id"])] : []
        return Link.to("/table", [("p", pipeline.name), ("t", table)] + filter + extra)
    }
}
