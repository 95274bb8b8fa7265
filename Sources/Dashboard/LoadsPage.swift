import ConnectorKit

/// Load history (per load and resource: status, rows, pages, requests, retries, seconds,
/// schema changes, errors), the stored state (cursors, jobs in flight) and a chart of rows per
/// load per table.
enum LoadsPage {
    static func render(_ pipeline: DashboardProject.Pipeline) async throws -> String {
        try await Dataset.with(pipeline) { dataset in
            let history = try await LoadHistory.read(dataset)
            let state: (columns: [String], rows: [[String?]])
            if let book = dataset as? any BookkeepingReader {
                // Files: the manifests' history and `_state.json`.
                state = (
                    ["resource", "key", "value", "updated_at"],
                    try await book.stateEntries().map { [$0.resource, $0.key, $0.value, $0.updatedAt] }
                )
            } else {
                let result = try await dataset.query(
                    """
                    SELECT resource, key, value, load_id, updated_at FROM \(BookkeepingTable.state)
                    WHERE pipeline = \(literal(pipeline.name)) ORDER BY resource, key
                    """)
                state = (result.columns, result.rows)
            }
            return "<h2>rows per load</h2>" + RowsChart.svg(history) + "<h2>loads</h2>" + loads(history)
                + "<h2>state</h2><p class=muted>cursors (<code>cursor…</code>) and export jobs in flight "
                + "(<code>job…</code>), per resource and work item</p>"
                + Layout.table(state.columns.map(esc), state.rows.map { $0.map(Cell.render) }, id: "state")
        }
    }

    static func loads(_ history: LoadHistory) -> String {
        let header = [
            "load", "finished", "resource", "status", "checks", "rows", "pages", "requests", "retries", "seconds",
            "schema changes", "error / notes",
        ]
        var rows: [[String]] = []
        for load in history.loads {
            for r in load.resources {
                let rowsText = r.rows.sorted { $0.key < $1.key }.map { "\(esc($0.key)) \($0.value)" }
                let notes = ([r.message].compactMap { $0 } + r.notes).map(esc)
                rows.append([
                    esc(load.id), esc(load.finishedAt), esc(r.resource),
                    "<span class=\(esc(r.status))>\(esc(r.status))</span>", checks(r.checks ?? []),
                    rowsText.joined(separator: "<br>"), String(r.pages), String(r.requests), String(r.retries),
                    String(format: "%.2f", r.seconds), r.schema_changes.map(esc).joined(separator: "<br>"),
                    notes.joined(separator: "<br>"),
                ])
            }
        }
        return Layout.table(header, rows, id: "loads")
    }

    /// Each check with its result; a failed one red, with what it measured.
    static func checks(_ results: [CheckResult]) -> String {
        results.map { c in
            let mark = c.passed ? "<span class=\"check-passed succeeded\">✓" : "<span class=\"check-failed failed\">✗"
            return "\(mark) \(esc(c.check))\(c.passed ? "" : " (\(esc(c.severity)))")</span> "
                + "<span class=muted>\(esc(c.detail))</span>"
        }.joined(separator: "<br>")
    }
}
