import ArgumentParser
import ConnectorKit
import Foundation

/// The network floor for benchmarks: the same GET requests a run made, at the same
/// concurrency, with every body read and discarded — no parsing, no loading.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Benchmark helper: GET every URL of a file (one per line) and discard the bodies.",
        shouldDisplay: false)
    @Argument(help: "File with one absolute URL per line.") var file: String
    @Option(help: "Requests in flight at once.") var concurrency: Int = 8
    @Option(name: .customLong("header"), help: "Header to send, NAME:VALUE (repeatable).") var headers: [String] = []

    func run() async throws {
        let urls = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map(String.init).filter {
            !$0.isEmpty
        }
        let pairs = headers.compactMap { h -> (String, String)? in
            guard let i = h.firstIndex(of: ":") else { return nil }
            return (String(h[..<i]), String(h[h.index(after: i)...]))
        }
        let transport = HTTPTransport()
        let started = ContinuousClock.now
        let bytes = LockedBox(0)
        await withTaskGroup(of: Void.self) { group in
            var next = 0
            func add() {
                let url = urls[next]
                next += 1
                group.addTask {
                    if let r = try? await transport.execute(HTTPRequest(url: url, headers: pairs), timeoutSeconds: 60) {
                        bytes.withLock { $0 += r.body.count }
                    }
                }
            }
            while next < min(concurrency, urls.count) { add() }
            while await group.next() != nil { if next < urls.count { add() } }
        }
        let seconds = (ContinuousClock.now - started).seconds
        await transport.shutdown()
        print(
            String(
                format: "{\"requests\": %d, \"bytes\": %d, \"seconds\": %.3f}", urls.count, bytes.withLock { $0 },
                seconds))
    }
}
