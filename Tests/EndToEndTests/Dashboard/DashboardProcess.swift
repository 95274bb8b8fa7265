import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `connector dashboard` running as a child process on a free port, stopped by `stop()`.
final class DashboardProcess {
    let process = Process()
    let port: Int
    private let outPath: String

    /// Starts the real binary with `arguments` after `dashboard --port 0` and waits (at most 20 s)
    /// for the line that names its URL.
    init(_ arguments: [String], in directory: String, environment: [String: String] = [:]) throws {
        outPath = NSTemporaryDirectory() + "connector-dashboard-" + UUID().uuidString
        FileManager.default.createFile(atPath: outPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: connectorBinary)
        process.arguments = ["dashboard", "--port", "0"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = FileHandle(forWritingAtPath: outPath)
        process.standardError = process.standardOutput
        try process.run()
        var found: Int?
        for _ in 0..<400 where found == nil && process.isRunning {
            let text = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
            if let range = text.range(of: #"127\.0\.0\.1:(\d+)/"#, options: .regularExpression) {
                found = Int(text[range].dropFirst("127.0.0.1:".count).dropLast())
            } else {
                usleep(50_000)
            }
        }
        guard let found else {
            process.terminate()
            let output = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
            throw DashboardTestError("the dashboard did not start: \(output)")
        }
        port = found
    }

    var url: String { "http://127.0.0.1:\(port)" }

    func stop() {
        process.terminate()
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: outPath)
    }

    /// One GET over a plain socket with the Host header given (a browser cannot forge it):
    /// the status line and the body.
    func get(_ path: String, host: String? = nil) throws -> (status: Int, body: String) {
        let text = try RawHTTP.get(port: port, path: path, host: host ?? "127.0.0.1:\(port)")
        let status = Int(text.split(separator: " ", maxSplits: 2).dropFirst().first ?? "") ?? 0
        let body = text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) } ?? ""
        return (status, body)
    }
}

struct DashboardTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// HTTP/1.1 GET with `Connection: close` over a socket to 127.0.0.1, bounded by a 30 s timeout.
enum RawHTTP {
    static func get(port: Int, path: String, host: String) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw DashboardTestError("socket() failed") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw DashboardTestError("cannot connect to 127.0.0.1:\(port)") }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n".utf8)
        guard send(fd, request, request.count, 0) == request.count else { throw DashboardTestError("send failed") }
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            answer.append(contentsOf: buffer[0..<n])
        }
        return String(decoding: answer, as: UTF8.self)
    }
}
