public enum WriteDisposition: String, Sendable, CaseIterable { case append, replace, merge }

/// One endpoint's data, loaded into one root table (or several, with `tables`).
public struct ResourceSpec: Sendable {
    public var name: String
    public var location: SpecLocation
    public var endpoint: EndpointSpec
    public var primaryKey: [String]
    public var writeDisposition: WriteDisposition
    /// Parent fields copied onto each child record, as `_<parent>_<field>` columns.
    public var includeFromParent: [String]
    /// Several tables from one response: table name → selector and key.
    public var tables: [TableSelector]
    public var asyncJob: AsyncJobSpec?
    /// Nesting deeper than this is stored as JSON text.
    public var maxNesting: Int
    public var enabled: Bool
    /// What new columns and tables may do once the destination has the resource's tables.
    public var schemaContract: SchemaContract = .evolve
    /// Rows to drop from the resource's root tables after each load, in the same transaction.
    public var retention: RetentionRule?
    /// Declared types of root-table columns (normalized name → type), e.g. big ids as `decimal`.
    public var columns: [String: DataType] = [:]
    /// `nullable` / `precision` / `scale` of root-table columns (normalized name → hint).
    public var columnHints: [String: ColumnHint] = [:]
    /// Filters and maps applied to every record before it is normalized.
    public var processingSteps: [ProcessingStep] = []
    /// False: the resource feeds its children but loads no table of its own.
    public var selected = true
    /// Data checks run on the staged rows before they are published.
    public var checks: [CheckSpec] = []
    /// The resource as written (defaults merged, `${…}` expanded) in one canonical text, mapping keys
    /// sorted: what a load's fingerprint hashes. Empty for a resource built in code.
    public var declaration = ""

    /// The parent resource, when a parameter resolves from one.
    public var parent: String? {
        endpoint.params.lazy.compactMap { if case .resolve(let r, _) = $0.value { return r } else { return nil } }.first
    }
}

extension ResourceSpec {
    /// The keys of one entry of `resources` (and of `resource_defaults`).
    static let keys = [
        "name", "endpoint", "primary_key", "write_disposition", "include_from_parent", "tables",
        "async_job", "max_table_nesting", "enabled", "schema_contract", "retention", "columns",
        "processing_steps", "selected", "checks",
    ]

    /// `resource_defaults` under a resource: the resource's own keys win, mappings merge.
    static func merge(defaults: YAMLNode, into item: YAMLNode) -> YAMLNode {
        let resource = named(item)
        guard case .mapping(let d, _) = defaults, case .mapping(var r, let loc) = resource else { return resource }
        for (key, keyLoc, value) in d {
            if let i = r.firstIndex(where: { $0.key == key }) {
                if case .mapping = value, case .mapping = r[i].value {
                    r[i].value = merge(defaults: value, into: r[i].value)
                }
            } else {
                r.append((key, keyLoc, value))
            }
        }
        return .mapping(r, loc)
    }

    /// A resource written as its bare name is `{name: <name>}`.
    private static func named(_ node: YAMLNode) -> YAMLNode {
        guard case .scalar(let name, _, let loc) = node else { return node }
        return .mapping([("name", loc, .scalar(name, quoted: false, loc))], loc)
    }

    /// Reads one entry of `resources` (defaults already merged).
    static func read(_ item: YAMLNode, interpolator: Interpolator) throws(SpecError) -> ResourceSpec {
        let node = named(item)
        var r = try MappingReader(node, context: "a resource", keys: keys, interpolator: interpolator)
        let name = try r.requiredString("name")
        guard isIdentifier(name.value) else {
            throw SpecError(
                "resource name '\(name.value)' must use letters, digits and _ (it names a table)",
                at: name.location)
        }
        let context = "resource '\(name.value)'"
        let endpoint =
            try r.take("endpoint").map { e throws(SpecError) in
                try EndpointSpec.read(
                    try r.reader(e, context: "endpoint of \(context)", keys: EndpointSpec.keys),
                    defaultPath: name)
            } ?? .plain(path: name)
        let primaryKey = try r.stringList("primary_key")?.map(\.value) ?? []
        let disposition = try r.choice("write_disposition", WriteDisposition.self) ?? .append
        let include = try r.stringList("include_from_parent")?.map(\.value) ?? []
        let tables =
            try r.mapping("tables").map { t throws(SpecError) in
                try TableSelector.read(t, of: context, primaryKey: primaryKey, merges: disposition == .merge)
            } ?? []
        if disposition == .merge && primaryKey.isEmpty && tables.isEmpty {
            let declared = r.keyLocation("write_disposition")
            throw SpecError(
                "\(context) merges (write_disposition at line \(declared.line)) but has no 'primary_key'; "
                    + "name the field(s) that identify a record", at: node.location)
        }
        let asyncJob = try r.mapping("async_job", keys: AsyncJobSpec.keys).map { a throws(SpecError) in
            try AsyncJobSpec.read(a)
        }
        let nesting = try r.int("max_table_nesting", range: 0...32) ?? 6
        let enabled = try r.bool("enabled") ?? true
        let contract = try r.choice("schema_contract", SchemaContract.self) ?? .evolve
        let retention = try r.mapping("retention", keys: RetentionRule.keys).map { rr throws(SpecError) in
            try RetentionRule.read(rr, of: context)
        }
        var resource = ResourceSpec(
            name: name.value, location: node.location, endpoint: endpoint, primaryKey: primaryKey,
            writeDisposition: disposition, includeFromParent: include, tables: tables,
            asyncJob: asyncJob, maxNesting: nesting, enabled: enabled, schemaContract: contract,
            retention: retention)
        try readRecordRules(&r, into: &resource)
        resource.checks =
            try r.mapping("checks", keys: CheckSpec.keys).map { c throws(SpecError) in
                try CheckSpec.read(c, of: context, incremental: endpoint.incremental != nil)
            } ?? []
        try r.finish()
        resource.declaration = YAMLCanonicalText.of(node, interpolator: interpolator)
        return resource
    }

    /// What a resource says about its records: `columns`, `processing_steps`, `selected`.
    private static func readRecordRules(_ r: inout MappingReader, into resource: inout ResourceSpec)
        throws(SpecError)
    {
        if let c = try r.mapping("columns") {
            (resource.columns, resource.columnHints) = try readColumns(c)
        }
        resource.processingSteps =
            try r.take("processing_steps").map { s throws(SpecError) in
                try ProcessingStep.readList(s, reader: r)
            } ?? []
        resource.selected = try r.bool("selected") ?? true
    }

    static func isIdentifier(_ s: String) -> Bool {
        guard let f = s.unicodeScalars.first, f.properties.isAlphabetic || f == "_" else { return false }
        return s.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil || $0 == "_")
        }
    }
}
