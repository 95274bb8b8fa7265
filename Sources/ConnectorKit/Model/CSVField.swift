/// One field of an RFC 4180 CSV line: quoted when it holds a comma, a quote or a line break,
/// with quotes doubled. The files destination, `query --format csv` and the dashboard's CSV
/// export write the same fields this way.
public enum CSVField {
    public static func quote(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
