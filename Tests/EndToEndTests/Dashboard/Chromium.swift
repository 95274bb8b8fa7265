import Foundation

/// Debian's headless `chromium`, driven from the command line: the DOM after scripts ran
/// (`--dump-dom`) and screenshots (`--screenshot`). Each call has its own profile folder.
enum Chromium {
    static let binary: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// True where a missing browser must fail the test instead of skipping it.
    static var required: Bool { ProcessInfo.processInfo.environment["CI"] != nil }

    static var availability: Bool {
        if binary == nil && !required {
            FileHandle.standardError.write(
                Data(
                    "⚠️  chromium is not installed: the dashboard browser tests are SKIPPED (scripts/test installs it)\n"
                        .utf8))
        }
        return binary != nil || required
    }

    static func dumpDOM(_ url: String) throws -> String {
        try run(["--dump-dom", url])
    }

    static func screenshot(_ url: String, to path: String) throws {
        _ = try run(["--screenshot=\(path)", "--window-size=1400,1000", url])
        guard FileManager.default.fileExists(atPath: path) else { throw DashboardTestError("no screenshot at \(path)") }
    }

    private static func run(_ arguments: [String]) throws -> String {
        guard let binary else { throw DashboardTestError("chromium is not installed (apt-get install chromium)") }
        let profile = NSTemporaryDirectory() + "connector-chromium-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: profile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--user-data-dir=\(profile)",
            ] + arguments
        let outPath = profile + ".out"
        FileManager.default.createFile(atPath: outPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: outPath) }
        process.standardOutput = FileHandle(forWritingAtPath: outPath)
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        if process.isRunning {
            process.terminate()
            throw DashboardTestError("chromium did not finish in 120 s: \(arguments)")
        }
        return (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
    }
}
