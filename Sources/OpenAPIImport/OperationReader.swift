import OpenAPIKit
import Yams

/// One operation with its parameters and 2xx JSON response schema, references followed.
struct OperationView {
    let method: String
    let path: String
    let operation: OpenAPI.Operation
    var parameters: [OpenAPI.Parameter]
    var responseSchema: JSONSchema?
    var documents404: Bool

    var summary: String { operation.summary ?? operation.operationId ?? "" }
}

extension SchemaResolver {
    /// Every operation of the document in order, as (method, path, view); broken parts become notes.
    func operations() -> [OperationView] {
        var views: [OperationView] = []
        for (path, either) in loaded.document.paths {
            let route = path.rawValue
            guard let item = either.b ?? decoded(either.a?.jsonReference.absoluteString, OpenAPI.PathItem.self, route)
            else { continue }
            let shared = item.parameters.compactMap { parameter($0, context: route) }
            for endpoint in item.endpoints {
                let method = endpoint.method.rawValue.uppercased()
                let context = "\(method) \(route)"
                var params = shared
                for p in endpoint.operation.parameters.compactMap({ parameter($0, context: context) }) {
                    params.removeAll { $0.name == p.name && $0.location == p.location }
                    params.append(p)
                }
                let (schema, has404) = response(endpoint.operation, context: context)
                views.append(
                    OperationView(
                        method: method, path: route, operation: endpoint.operation, parameters: params,
                        responseSchema: schema, documents404: has404))
            }
        }
        return views
    }

    func parameter(_ either: Either<OpenAPI.Reference<OpenAPI.Parameter>, OpenAPI.Parameter>, context: String)
        -> OpenAPI.Parameter?
    {
        either.b ?? decoded(either.a?.jsonReference.absoluteString, OpenAPI.Parameter.self, context)
    }

    /// The parameter's schema, references followed.
    func schema(of parameter: OpenAPI.Parameter, context: String) -> JSONSchema? {
        guard let either = parameter.schemaOrContent.a?.schema else { return nil }
        if let schema = either.b { return resolve(schema, context: context) }
        guard let reference = either.a else { return nil }
        return resolve(.reference(reference.jsonReference), context: context)
    }

    private func response(_ operation: OpenAPI.Operation, context: String) -> (JSONSchema?, Bool) {
        let has404 = operation.responses.keys.contains { $0.rawValue == "404" }
        for (status, either) in operation.responses where status.isSuccess {
            guard let response = either.b ?? decoded(either.a?.jsonReference.absoluteString, OpenAPI.Response.self, context)
            else { continue }
            let json = response.content.first { $0.key.rawValue.lowercased().contains("json") } ?? response.content.first
            if let schema = json?.value.b?.schema { return (schema, has404) }
        }
        return (nil, has404)
    }

    /// A part behind a `$ref`, decoded from the raw tree; nil with a note when that fails.
    func decoded<T: Decodable>(_ pointer: String?, _ type: T.Type, _ context: String) -> T? {
        guard let pointer else { return nil }
        guard let node = loaded.node(at: pointer) else {
            note("\(context): unresolved `$ref` \(pointer): left out")
            return nil
        }
        do {
            return try YAMLDecoder().decode(T.self, from: node)
        } catch {
            note("\(context): `$ref` \(pointer) could not be read: left out")
            return nil
        }
    }
}
