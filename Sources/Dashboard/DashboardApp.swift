/// The dashboard's pages, by path. Every answer passes through the project's `Redactor` on its
/// way out, so a configured secret cannot appear on a page whatever the data holds.
public struct DashboardApp: Sendable {
    public let project: DashboardProject

    public init(project: DashboardProject) { self.project = project }

    public func respond(_ request: DashboardRequest) async -> DashboardResponse {
        var response = await route(request)
        if response.contentType.hasPrefix("text/") {
            response.body = Array(project.redactor.redact(String(decoding: response.body, as: UTF8.self)).utf8)
        }
        return response
    }

    private func route(_ request: DashboardRequest) async -> DashboardResponse {
        if request.path == "/" {
            var sections: [String] = []
            for pipeline in project.pipelines { sections.append(await PipelinePage.section(pipeline)) }
            return page("pipelines", sections.joined(separator: "\n"))
        }
        guard ["/pipeline", "/table", "/sql", "/sql.csv", "/loads"].contains(request.path) else {
            return .html(
                Layout.page("not found", project: project, body: Layout.error("no page \(request.path)")), status: 404)
        }
        guard let pipeline = project.pipeline(named: request["p"]) else {
            let known = project.pipelines.map(\.name).joined(separator: ", ")
            return page("unknown pipeline", Layout.error("no pipeline '\(request["p"] ?? "")'; known: \(known)"), 404)
        }
        switch request.path {
        case "/table":
            let body: String
            do { body = try await TableBrowser(request: request, pipeline: pipeline).render() } catch {
                body = Layout.error("\(error)")
            }
            return page("\(pipeline.name) · \(request["t"] ?? "")", body)
        case "/sql": return page("\(pipeline.name) · SQL", await SQLPage(request: request, pipeline: pipeline).render())
        case "/sql.csv": return await SQLPage(request: request, pipeline: pipeline).csv()
        case "/loads":
            let body: String
            do { body = try await LoadsPage.render(pipeline) } catch { body = Layout.error("\(error)") }
            return page("\(pipeline.name) · loads", body)
        default: return page(pipeline.name, await PipelinePage.section(pipeline))
        }
    }

    private func page(_ title: String, _ body: String, _ status: Int = 200) -> DashboardResponse {
        .html(Layout.page(title, project: project, body: body), status: status)
    }
}
