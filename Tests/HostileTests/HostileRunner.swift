import ChildProcess
import Foundation
import NIOConcurrencyHelpers
import Testing

/// Runs a `HostileCase`: starts its servers, writes its project into a fresh folder, runs
/// each step with the real `connector` binary under the case's budget, and returns what
/// went wrong (an empty list when every expectation held).
struct HostileRunner {
    /// The binary under test: `CONNECTOR_BINARY`, or the debug build of this repository.
    static var binary: String {
        if let path = ProcessInfo.processInfo.environment["CONNECTOR_BINARY"], !path.isEmpty { return path }
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url.appendingPathComponent(".build/debug/connector").path
            }
        }
        return ".build/debug/connector"
    }

    let row: HostileCase

    func run() async throws -> [String] {
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else {
            return ["no binary at \(Self.binary): build it first (swift build --product connector; scripts/test does)"]
        }
        let bases = BaseBox()
        let home = try await ScriptedServer.start(bases: { bases.value }, script: row.home)
        var other: ScriptedServer?
        do {
            if let script = row.other { other = try await ScriptedServer.start(bases: { bases.value }, script: script) }
        } catch {
            await home.shutdown()
            throw error
        }
        bases.value = ["home": home.baseURL, "other": other?.baseURL ?? "http://127.0.0.1:9"]
        let directory = try makeProject(bases.value)
        var problems: [String] = []
        var results: [StepResult] = []
        for (n, step) in row.steps.enumerated() {
            let result = try await execute(step, in: directory, home: home, other: other)
            results.append(result)
            let failures = judge(step, result, all: results) + leaks(in: directory, result: result, other: other)
            problems += failures.map { "step \(n + 1) (\(step.arguments.joined(separator: " "))): \($0)" }
        }
        await home.shutdown()
        await other?.shutdown()
        if problems.isEmpty { try? FileManager.default.removeItem(atPath: directory) }
        return problems
    }

    private func makeProject(_ bases: [String: String]) throws -> String {
        let directory =
            NSTemporaryDirectory() + "connector-hostile/" + row.name.filter { $0.isLetter || $0.isNumber }
            + "-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: directory + "/.connector", withIntermediateDirectories: true)
        try Self.fill(row.spec, bases).write(toFile: directory + "/sources.yaml", atomically: true, encoding: .utf8)
        if let secrets = row.secretsFile {
            let path = directory + "/.connector/secrets.yaml"
            try secrets.write(toFile: path, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        }
        return directory
    }

    static func fill(_ text: String, _ bases: [String: String]) -> String {
        bases.reduce(text) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) }
    }

    /// One command under `ulimit -v` and a wall clock; SIGKILL past the clock or when the step says.
    private func execute(
        _ step: Step, in directory: String, home: ScriptedServer,
        other: ScriptedServer?
    ) async throws -> StepResult {
        let limit = row.budget.memoryMB * 1024
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("CONNECTOR_") }
        let bases = ["home": home.baseURL, "other": other?.baseURL ?? ""]
        for (key, value) in row.env { environment[key] = Self.fill(value, bases) }
        let stdoutPath = directory + "/.stdout-\(UUID().uuidString.prefix(6))", stderrPath = stdoutPath + ".err"
        let started = ContinuousClock.now
        let process = try SpawnedChild(
            "/bin/sh",
            ["-c", "ulimit -v \(limit); exec \"$0\" \"$@\"", Self.binary] + step.arguments + ["--project", directory],
            environment: environment, directory: directory, stdout: stdoutPath, stderr: stderrPath)
        var killed = false, overBudget = false
        let killedAtServer = NIOLockedValueBox(false)
        if let killWhen = step.killWhen {
            let pid = process.pid
            home.watch { seen in
                guard killWhen(seen) else { return }
                killedAtServer.withLockedValue { done in
                    if !done { kill(pid, SIGKILL) }
                    done = true
                }
            }
        }
        defer { home.watch(nil) }
        while process.isRunning {
            if (ContinuousClock.now - started) > .milliseconds(Int(row.budget.seconds * 1000)) {
                overBudget = true
            } else if let killWhen = step.killWhen, killWhen(home.requests) {
                killed = true
            }
            if killed || overBudget {
                kill(process.pid, SIGKILL)
                break
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        let status = process.wait()
        if killedAtServer.withLockedValue({ $0 }) { killed = true }
        let seconds =
            Double((ContinuousClock.now - started).components.attoseconds) / 1e18
            + Double((ContinuousClock.now - started).components.seconds)
        let out = (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? ""
        var err = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
        if overBudget { err += "\n[over budget: killed after \(row.budget.seconds) s]" }
        try? FileManager.default.removeItem(atPath: stdoutPath)
        try? FileManager.default.removeItem(atPath: stderrPath)
        return StepResult(
            stdout: out, stderr: err, exitCode: overBudget ? -1 : status, killed: killed,
            seconds: seconds, home: home.requests, other: other?.requests ?? [], projectDirectory: directory)
    }

    private func judge(_ step: Step, _ result: StepResult, all: [StepResult]) -> [String] {
        var problems: [String] = []
        let tail = String(result.output.suffix(1500))
        if result.stderr.contains("[over budget") {
            problems.append("exceeded the wall-clock budget of \(row.budget.seconds) s; output: \(tail)")
            return problems
        }
        if let code = step.exitCode, result.exitCode != code || result.killed {
            problems.append(
                "exit status \(result.exitCode)\(result.killed ? " (killed)" : ""), expected \(code); output: \(tail)")
        }
        if step.exitCode == nil, !result.killed {
            problems.append("was to be killed, but ended with status \(result.exitCode); output: \(tail)")
        }
        for text in step.outputContains where !result.output.contains(text) {
            problems.append("output lacks \"\(text)\": \(tail)")
        }
        problems += step.check?(all) ?? []
        return problems
    }

    /// Secrets in any form in a step's output, in any file of the project after it, or in any
    /// request to `other`.
    private func leaks(in directory: String, result: StepResult, other: ScriptedServer?) -> [String] {
        guard !row.secrets.isEmpty else { return [] }
        var found =
            SecretEncodings.leaks(of: row.secrets, in: result.stdout, at: "stdout")
            + SecretEncodings.leaks(of: row.secrets, in: result.stderr, at: "stderr")
        let files = FileManager.default.enumerator(atPath: directory)?.compactMap { $0 as? String } ?? []
        for file in files where !file.hasPrefix(".connector/secrets") {
            let path = directory + "/" + file
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            found += SecretEncodings.leaks(of: row.secrets, in: String(decoding: data, as: UTF8.self), at: file)
        }
        for request in other?.requests ?? [] {
            let sent =
                request.path + "?" + request.rawQuery + " " + request.query.values.joined(separator: " ")
                + request.headers.map { "\($0.key): \($0.value)" }.joined(separator: "\n")
            found += SecretEncodings.leaks(
                of: row.secrets, in: sent, at: "request \(request.number) to the other origin")
        }
        return found
    }
}

final class BaseBox: @unchecked Sendable {
    private let lock = NSLock()
    private var _value: [String: String] = [:]
    var value: [String: String] {
        get { lock.withLock { _value } }
        set { lock.withLock { _value = newValue } }
    }
}
