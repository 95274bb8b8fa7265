import ConnectorKit
import Foundation

/// One run of a Singer target program: its config in a private file (0600, in a 0700
/// folder, removed afterwards), the program started with `--config FILE`, its stdin fed by
/// the caller, its stdout read line by line for the STATE values it echoes (anything else it
/// prints goes to connector's standard error), its exit awaited. The config's values (secrets
/// among them) go into that file only: never into argv, the environment or a log.
struct SingerTargetProcess {
    let command: [String]
    /// The config as JSON.
    let config: Data

    /// How the target ended.
    struct Outcome {
        var status: Int32
        var signaled: Bool
        /// The last STATE value the target printed (JSON), if any.
        var lastState: Data?
        /// Why feeding the target stopped early (it closed its stdin: usually it died).
        var feedError: SingerError?
        var succeeded: Bool { status == 0 && !signaled && feedError == nil }
    }

    /// Runs the target on a thread of its own (it blocks on pipes), feeding it with `feed`.
    func run(_ feed: @escaping @Sendable (LineWriter) throws(SingerError) -> Void) async throws -> Outcome {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try runBlocking(feed) }) }.start()
        }
    }

    private func runBlocking(_ feed: (LineWriter) throws(SingerError) -> Void) throws -> Outcome {
        let folder = try PrivateFolder()
        defer { folder.remove() }
        let configPath = try folder.write("config.json", config)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")  // finds `command[0]` on PATH
        process.arguments = command + ["--config", configPath]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        do { try process.run() } catch { throw SingerError("cannot start \(command[0]): \(error)") }
        try? input.fileHandleForReading.close()
        try? output.fileHandleForWriting.close()
        let reader = StateLineReader(descriptor: output.fileHandleForReading.fileDescriptor)
        let readerDone = reader.start()
        var feedError: SingerError?
        do throws(SingerError) {
            try feed(LineWriter(descriptor: input.fileHandleForWriting.fileDescriptor, what: "the target's input"))
        } catch { feedError = error }
        try? input.fileHandleForWriting.close()
        exited.wait()
        readerDone.wait()
        try? output.fileHandleForReading.close()
        return Outcome(
            status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal,
            lastState: reader.lastState, feedError: feedError)
    }
}

/// Reads a target's stdout on a thread: keeps the last state value (a JSON object line), passes
/// other lines on to standard error (a target's stdout is for state; anything else is for the user).
final class StateLineReader: Sendable {
    let descriptor: Int32
    private let last = LockedBox<Data?>(nil)

    init(descriptor: Int32) { self.descriptor = descriptor }

    var lastState: Data? { last.withLock { $0 } }

    /// Starts reading; the semaphore is signalled at end of input.
    func start() -> DispatchSemaphore {
        let done = DispatchSemaphore(value: 0)
        Thread { [self] in
            readAll()
            done.signal()
        }.start()
        return done
    }

    private func readAll() {
        var pending = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            pending.append(contentsOf: chunk[0..<count])
            while let newline = pending.firstIndex(of: 10) {
                take(pending[pending.startIndex..<newline])
                pending = Data(pending[(newline + 1)...])
            }
        }
        if !pending.isEmpty { take(pending) }
    }

    /// Targets print each state value as a bare JSON line (`{"bookmarks": …}`); a whole STATE
    /// message is taken too.
    private func take(_ line: Data) {
        if var object = (try? JSONSerialization.jsonObject(with: line)) as? [String: Any] {
            if object["type"] as? String == "STATE", let value = object["value"] as? [String: Any] { object = value }
            let data = try? JSONSerialization.data(withJSONObject: object)
            last.withLock { $0 = data }
        } else if !line.isEmpty {
            FileHandle.standardError.write(Data("singer target: ".utf8) + line + Data("\n".utf8))
        }
    }
}

/// A folder only this user can enter (0700), for the target's config file (0600).
struct PrivateFolder {
    let path: String

    init() throws {
        var template = Array((NSTemporaryDirectory() + "/connector-singer-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ $0.baseAddress.flatMap(mkdtemp) }) else {
            throw SingerError("cannot make a private temporary folder: \(String(cString: strerror(errno)))")
        }
        path = String(cString: made)
    }

    /// Creates `name` with mode 0600 (never readable by others, not even for a moment).
    func write(_ name: String, _ data: Data) throws -> String {
        let file = path + "/" + name
        let descriptor = open(file, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { throw SingerError("cannot create \(file): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        let writer = LineWriter(descriptor: descriptor, what: file)
        try writer.line(String(decoding: data, as: UTF8.self))
        try writer.flush()
        return file
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
