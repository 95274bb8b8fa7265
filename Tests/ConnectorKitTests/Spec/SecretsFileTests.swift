import ConnectorKit
import Foundation
import Testing

@Suite("Secrets file")
struct SecretsFileTests {
    func project(mode: Int, text: String) throws -> String {
        let dir = NSTemporaryDirectory() + "connector-secrets-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir + "/.connector", withIntermediateDirectories: true)
        let path = SecretsFile.path(inProject: dir)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return dir
    }

    @Test("a private file provides variables")
    func loads() throws {
        let dir = try project(mode: 0o600, text: "API_KEY: sk_live_123456\nOTHER: \"x y\"\n")
        #expect(try SecretsFile.load(projectDirectory: dir) == ["API_KEY": "sk_live_123456", "OTHER": "x y"])
    }

    @Test("a file readable by group or others is refused with the reason", arguments: [0o640, 0o604, 0o644])
    func refused(_ mode: Int) throws {
        let dir = try project(mode: mode, text: "API_KEY: sk_live_123456\n")
        let e = #expect(throws: SpecError.self) { _ = try SecretsFile.load(projectDirectory: dir) }
        #expect(e?.message.contains("chmod 600") == true)
        #expect(e?.message.contains("sk_live") == false)
    }

    @Test("no file, no variables")
    func absent() throws {
        #expect(try SecretsFile.load(projectDirectory: NSTemporaryDirectory() + UUID().uuidString).isEmpty)
    }
}
