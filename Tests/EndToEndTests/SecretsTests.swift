import APISandbox
import ConnectorKit
import Foundation
import Testing

/// Real-looking secrets from a secrets file, a run that also fails on purpose: neither the
/// output, the JSON report, the error messages nor the database contain a secret.
@Suite("Secrets never leak", .serialized)
struct SecretsTests {
    static let credentials = SandboxCredentials(
        apiKey: "sk_live_4f9a8c7e6d5b4a3928170f1e2d3c4b5a", partnerKey: "pk_live_0a1b2c3d4e5f60718293a4b5c6d7e8f9",
        copilotKey: "ck_live_9f8e7d6c5b4a39281706f5e4d3c2b1a0", copilotPassword: "Pa55word!live#2026-secret")

    @Test("after a run with secrets, grep of output, report and database finds none of them")
    func noLeaks() async throws {
        let server = try await SandboxServer.start(SandboxConfiguration(credentials: Self.credentials))
        let project = temporaryDirectory("secrets-project")
        let fm = FileManager.default
        try fm.createDirectory(atPath: project + "/destinations", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: project + "/.connector", withIntermediateDirectories: true)
        try fm.copyItem(atPath: repositoryRoot + "/sources.yaml", toPath: project + "/sources.yaml")
        try fm.copyItem(
            atPath: repositoryRoot + "/destinations/sqlite.yaml", toPath: project + "/destinations/sqlite.yaml")
        // The partner key is wrong on purpose: ingest_jobs fails with 401 and an error message.
        let secrets = """
            CLARI_API_KEY: \(Self.credentials.apiKey)
            CLARI_PARTNER_KEY: \(Self.credentials.partnerKey)-wrong
            CLARI_COPILOT_API_KEY: \(Self.credentials.copilotKey)
            CLARI_COPILOT_API_PASSWORD: "\(Self.credentials.copilotPassword)"
            """
        let secretsPath = SecretsFile.path(inProject: project)
        try secrets.write(toFile: secretsPath, atomically: true, encoding: .utf8)
        try fm.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secretsPath)

        var outputs: [String] = []
        var statuses: [Int32] = []
        let env = [
            "CLARI_API_BASE": server.baseURL, "CLARI_COPILOT_BASE": server.copilotBaseURL + "/copilot",
            "CLARI_INGEST_JOB_IDS": "ingest-1", "CLARI_RATE_LIMIT": "0",
        ]
        for json in [false, true] {
            let run = try runConnector(
                ["run", "--project", project, "clari_core", "clari_copilot"] + (json ? ["--json"] : []),
                in: project, environment: env, withoutPrefix: "CLARI_")
            statuses.append(run.status)
            outputs.append(run.output + run.errors)
        }
        await server.shutdown()
        #expect(statuses == [1, 1], "ingest_jobs must fail (wrong partner key), so the run exits 1")
        #expect(outputs.allSatisfy { $0.contains("ingest_jobs") && $0.contains("401") }, "the failure is reported")
        #expect(outputs[0].contains("audit_events"), "the other resources ran")
        var haystacks = outputs
        for name in ["clari_core", "clari_copilot"] {
            for suffix in ["", "-wal"] {
                if let data = fm.contents(atPath: project + "/data/\(name).sqlite" + suffix) {
                    haystacks.append(String(decoding: data, as: UTF8.self))
                }
            }
        }
        #expect(haystacks.count >= 4)
        let values = [
            Self.credentials.apiKey, Self.credentials.partnerKey, Self.credentials.copilotKey,
            Self.credentials.copilotPassword,
        ]
        for secret in values {
            for (i, text) in haystacks.enumerated() { #expect(!text.contains(secret), "secret found in haystack \(i)") }
        }
    }
}
