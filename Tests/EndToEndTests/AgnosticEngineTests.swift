import Foundation
import Testing

@Suite("The engine is API-agnostic")
struct AgnosticEngineTests {
    @Test("no source file outside the sandbox names the API")
    func noAPINames() throws {
        let sources = URL(fileURLWithPath: repositoryRoot).appendingPathComponent("Sources")
        let files = FileManager.default.enumerator(atPath: sources.path)?.compactMap { $0 as? String } ?? []
        let checked = files.filter {
            !$0.hasPrefix("APISandbox/") && ($0.hasSuffix(".swift") || $0.hasSuffix(".cpp") || $0.hasSuffix(".h"))
        }
        #expect(checked.count > 20)
        for file in checked {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            #expect(!text.lowercased().contains("clari"), "\(file) names the API")
        }
    }
}
