import Foundation

/// One GET request: its path and its decoded query parameters.
public struct DashboardRequest: Sendable {
    public let path: String
    public let parameters: [String: String]

    public init(uri: String) {
        let components = URLComponents(string: uri)
        path = components?.path ?? "/"
        var parameters: [String: String] = [:]
        for item in components?.queryItems ?? [] { parameters[item.name] = item.value ?? "" }
        self.parameters = parameters
    }

    public subscript(_ name: String) -> String? {
        parameters[name].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A non-negative whole-number parameter, or `fallback`.
    func number(_ name: String, default fallback: Int) -> Int {
        self[name].flatMap(Int.init).map { max(0, $0) } ?? fallback
    }
}

/// What the dashboard answers.
public struct DashboardResponse: Sendable {
    public var status: Int
    public var contentType: String
    public var body: [UInt8]
    public var headers: [(String, String)] = []

    public static func html(_ text: String, status: Int = 200) -> DashboardResponse {
        DashboardResponse(status: status, contentType: "text/html; charset=utf-8", body: Array(text.utf8))
    }

    public static func text(status: Int, _ text: String) -> DashboardResponse {
        DashboardResponse(status: status, contentType: "text/plain; charset=utf-8", body: Array((text + "\n").utf8))
    }

    static func csv(_ text: String, filename: String) -> DashboardResponse {
        DashboardResponse(
            status: 200, contentType: "text/csv; charset=utf-8", body: Array(text.utf8),
            headers: [("Content-Disposition", "attachment; filename=\"\(filename)\"")])
    }
}

/// Link targets with their query strings percent-encoded.
enum Link {
    static func to(_ path: String, _ parameters: [(String, String?)]) -> String {
        var components = URLComponents()
        components.path = path
        let items = parameters.compactMap { name, value in value.map { URLQueryItem(name: name, value: $0) } }
        components.queryItems = items.isEmpty ? nil : items
        // "+" is a space to some readers: encode it so a filter keeps its plus signs.
        return (components.string ?? path).replacingOccurrences(of: "+", with: "%2B")
    }
}
