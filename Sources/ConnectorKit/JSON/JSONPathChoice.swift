/// Alternative JSON paths tried in order, for an API that answers in either of two shapes
/// (`{"job": {"status": …}}` or `{"status": …}`): the first path present wins (a null counts
/// as present: `{"jobs": null}` is an empty list, not a reason to read the whole body).
public struct JSONPathChoice: Sendable, CustomStringConvertible {
    public let paths: [JSONPath]

    public init(_ texts: [String]) { paths = texts.map(JSONPath.init) }

    /// The value at the first path present; nil when none is.
    public func evaluate(_ value: JSONValue) -> JSONValue? {
        for path in paths {
            if let v = path.evaluate(value) { return v }
        }
        return nil
    }

    /// `job.status` or `job.status or status`.
    public var description: String { paths.map(\.text).joined(separator: " or ") }
}
