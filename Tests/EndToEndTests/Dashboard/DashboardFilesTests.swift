import Foundation
import Testing

/// The dashboard over the files destination, from its manifests and `_state.json` (no SQL):
/// tables and counts equal `connector show`, and the load history lists every resource of
/// both demo loads. Plain HTTP, no browser needed.
@Suite("Dashboard over the files destination")
struct DashboardFilesTests {
    @Test("tables, counts and load history come from the manifests")
    func filesFromManifests() throws {
        let project = try DemoProject(kind: "files", secret: "dash-files-secret-41d7")
        let dashboard = try DashboardProcess(
            ["--project", project.directory, "--demo"] + project.destinationArguments, in: project.directory)
        defer { dashboard.stop() }
        let shown = try project.shownCounts()
        #expect(shown["clari_copilot"]?["calls"] ?? 0 > 0, "\(shown)")
        for (pipeline, counts) in shown {
            let page = try dashboard.get("/pipeline?p=\(pipeline)")
            #expect(page.status == 200)
            #expect(DOM.tableCounts(page.body) == counts, "\(pipeline)")
        }
        let loads = try dashboard.get("/loads?p=clari_copilot")
        #expect(loads.status == 200)
        #expect(!loads.body.contains("_loads folder"), "the page reads the manifests instead of pointing at them")
        let resources = DOM.cells(of: "loads", in: loads.body)
        #expect(resources.filter { $0 == "calls" }.count == 2, "both demo loads list calls: \(resources)")
        #expect(loads.body.contains("id=\"rows-chart\""))
    }
}
