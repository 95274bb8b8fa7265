import ConnectorKit

/// A pipeline's tables as a parent → child tree: row counts, last load, columns (type,
/// nullable, key, variant columns, the resource each table came from).
enum PipelinePage {
    static func section(_ pipeline: DashboardProject.Pipeline) async -> String {
        let links = [
            ("/loads", "load history, state and chart"), ("/sql", "SQL"),
        ].map { "<a href=\"\(esc(Link.to($0.0, [("p", pipeline.name)])))\">\($0.1)</a>" }.joined(separator: " · ")
        let heading =
            "<h2 id=\"pipeline-\(esc(pipeline.name))\">\(esc(pipeline.name))</h2>"
            + "<p class=muted>destination \(esc(pipeline.destination.name)) · \(links)</p>"
        do {
            let (catalog, history) = try await Dataset.with(pipeline) { dataset in
                (try await TableCatalog.read(dataset), try? await LoadHistory.read(dataset))
            }
            return heading + tree(catalog, history: history, pipeline: pipeline.name)
        } catch {
            return heading + Layout.error("\(error)")
        }
    }

    static func tree(_ catalog: TableCatalog, history: LoadHistory?, pipeline: String) -> String {
        let rows = catalog.tree.map { table, depth -> [String] in
            let link = Link.to("/table", [("p", pipeline), ("t", table.name)])
            let last = history?.lastLoad(of: table.name)
            return [
                "<span class=depth\(min(depth, 4))>\(depth > 0 ? "└ " : "")"
                    + "<a class=table-link href=\"\(esc(link))\">\(esc(table.name))</a></span>",
                "<span class=rows data-table=\"\(esc(table.name))\">\(table.rows)</span>",
                esc(table.resource ?? ""), esc(table.disposition ?? ""),
                last.map { "\(esc($0.finishedAt)) <span class=\($0.status)>\(esc($0.status))</span>" } ?? "",
                columns(table),
            ]
        }
        return Layout.table(
            ["table", "rows", "resource", "write", "last load", "columns"], rows, id: "tables-\(pipeline)")
    }

    static func columns(_ table: TableInfo) -> String {
        guard !table.columns.isEmpty else { return "<span class=muted>—</span>" }
        let rows = table.columns.map { column -> [String] in
            let variant = column.name.range(of: "__v_").map { "variant of " + column.name[..<$0.lowerBound] } ?? ""
            return [
                esc(column.name), column.type.rawValue, table.isNullable(column.name) ? "yes" : "no",
                table.primaryKey.contains(column.name) ? "key" : "", esc(variant),
            ]
        }
        return "<details><summary>\(table.columns.count) columns</summary>"
            + Layout.table(["column", "type", "nullable", "key", "variant"], rows) + "</details>"
    }
}
