import Foundation
import Testing

/// The dashboard over the files destination, from its manifests and `_state.json` (no SQL):
/// tables and counts equal `connector show`, and the load history lists every resource of
/// both demo loads. Read through headless Chromium like the other dashboard tests.
@Suite("Dashboard over the files destination")
struct DashboardFilesTests {
    @Test("tables, counts and load history come from the manifests", .enabled(if: Chromium.availability))
    func filesFromManifests() throws {
        let project = try DemoProject(kind: "files", secret: "dash-files-secret-41d7")
        let dashboard = try DashboardProcess(
            ["--project", project.directory, "--demo"] + project.destinationArguments, in: project.directory)
        defer { dashboard.stop() }
        let shown = try project.shownCounts()
        #expect(shown["clari_copilot"]?["calls"] ?? 0 > 0, "\(shown)")
        for (pipeline, counts) in shown {
            let dom = try Chromium.dumpDOM(dashboard.url + "/pipeline?p=\(pipeline)")
            #expect(DOM.tableCounts(dom) == counts, "\(pipeline)")
        }
        let loads = try Chromium.dumpDOM(dashboard.url + "/loads?p=clari_copilot")
        #expect(!loads.contains("_loads folder"), "the page reads the manifests instead of pointing at them")
        let resources = DOM.cells(of: "loads", in: loads)
        #expect(resources.filter { $0 == "calls" }.count == 2, "both demo loads list calls: \(resources)")
        #expect(loads.contains("id=\"rows-chart\""))
    }
}
