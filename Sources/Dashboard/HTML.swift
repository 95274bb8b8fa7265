import Foundation

/// Text made safe for HTML element content and attribute values.
func esc(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for c in text {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(c)
        }
    }
    return out
}

/// The page frame every view shares: header with the pipelines, the style, a little script.
enum Layout {
    static func page(_ title: String, project: DashboardProject, body: String) -> String {
        let nav = project.pipelines.map { p in
            "<a href=\"\(esc(Link.to("/pipeline", [("p", p.name)])))\">\(esc(p.name))</a>"
        }.joined(separator: " ")
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>\(esc(title)) · connector</title>
            <style>\(style)</style></head>
            <body><header><a href="/"><b>connector</b></a>\(project.demo ? " <span class=tag>demo</span>" : "")
            <nav>\(nav)</nav></header>
            <main><h1>\(esc(title))</h1>
            \(body)
            </main><script>\(script)</script></body></html>
            """
    }

    /// An HTML table of text cells (already escaped by the caller where they hold markup).
    static func table(_ header: [String], _ rows: [[String]], id: String? = nil) -> String {
        let head = header.map { "<th>\($0)</th>" }.joined()
        let body = rows.map { "<tr>" + $0.map { "<td>\($0)</td>" }.joined() + "</tr>" }.joined(separator: "\n")
        return
            "<table\(id.map { " id=\"\(esc($0))\"" } ?? "")><thead><tr>\(head)</tr></thead><tbody>\n\(body)\n</tbody></table>"
    }

    static func error(_ message: String) -> String { "<p class=error>\(esc(message))</p>" }

    static let style = """
        body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#222}
        header{background:#243447;color:#fff;padding:8px 16px;display:flex;gap:16px;align-items:center}
        header a{color:#fff;text-decoration:none} nav a{margin-right:12px;opacity:.85}
        main{padding:8px 16px} table{border-collapse:collapse;margin:8px 0}
        th,td{border:1px solid #ccd;padding:3px 6px;text-align:left;vertical-align:top;max-width:420px}
        th{background:#eef2f7} td.num{text-align:right} .tag{background:#e8a33d;border-radius:3px;padding:0 4px}
        .error,.failed{color:#b00020} .succeeded{color:#1b7f3b} pre{margin:0;white-space:pre-wrap}
        .depth1{padding-left:20px}.depth2{padding-left:40px}.depth3{padding-left:60px}.depth4{padding-left:80px}
        textarea{width:100%;max-width:900px;font-family:monospace} details summary{cursor:pointer}
        .muted{color:#777}
        """

    /// Ctrl/Cmd+Enter runs the SQL box.
    static let script = """
        document.querySelectorAll('textarea[name=q]').forEach(function(t){t.addEventListener('keydown',
        function(e){if(e.key==='Enter'&&(e.ctrlKey||e.metaKey)){t.form.submit();}});});
        """
}

/// How a cell shows: null marked, JSON pretty-printed behind a summary, long text folded.
enum Cell {
    static func render(_ value: String?) -> String {
        guard let value else { return "<span class=muted>null</span>" }
        if let first = value.first, first == "{" || first == "[", let pretty = prettyJSON(value) {
            return "<details><summary>\(esc(String(value.prefix(40))))…</summary><pre>\(esc(pretty))</pre></details>"
        }
        if value.count > 120 {
            return "<details><summary>\(esc(String(value.prefix(80))))…</summary>\(esc(value))</details>"
        }
        return esc(value)
    }

    static func prettyJSON(_ text: String) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]),
            let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
