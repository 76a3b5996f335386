@testable import Control
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import TestSupport

@Suite struct OpenAPITests {
    /// Where the document is written for `tests/api/test_openapi.py`: `.build/openapi.json` at the
    /// package root (`scripts/test` runs the Swift tests before pytest).
    static let documentFile = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".build/openapi.json")

    static let operationMethods = ["get", "put", "post", "patch", "delete"]

    /// `METHOD /api/v1/path` of every operation in the document.
    static func documentedOperations() -> Set<String> {
        var operations = Set<String>()
        for (path, item) in openAPIDocument["paths"].object ?? [:] {
            for method in operationMethods where !item[method].isNull {
                operations.insert("\(method.uppercased()) /api/v1\(path)")
            }
        }
        return operations
    }

    @Test func theDocumentIsJSONAndIsWrittenForTheValidator() throws {
        #expect(openAPIDocument["openapi"].string == "3.1.0")
        #expect(openAPIDocument["servers"][0]["url"].string == "/api/v1")
        #expect(openAPIDocument["components"]["securitySchemes"]["bearer"]["scheme"].string == "bearer")
        try FileManager.default.createDirectory(at: Self.documentFile.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(ControlAPI.document.text.utf8).write(to: Self.documentFile)
    }

    @Test func everyRouteIsDocumentedAndEveryDocumentedRouteExists() async throws {
        try await withStore(.sqlite) { store in
            let router = Router()
            ControlAPI(store: store, adminToken: Secret(adminToken), logger: testLogger).add(to: router)
            try router.validate()

            let routes = router.routes.filter { $0.method != .head }
            let routed = Set(routes.map { "\($0.method.rawValue) \($0.path)" })
            let documented = Self.documentedOperations()
            #expect(documented.count == 51)
            let missing = documented.subtracting(routed)
            #expect(missing.isEmpty, "documented but not routed: \(missing.sorted())")

            // The routes that are not documented must be the fallbacks: a JSON 404 or 405 whatever
            // the request, never a handler that was forgotten in the document.
            let undocumented = routes.filter { !documented.contains("\($0.method.rawValue) \($0.path)") }
                .map { (method: $0.method, path: $0.path.description) }
            #expect(!undocumented.isEmpty)
            let app = Application(router: router, logger: testLogger)
            try await app.test(.router) { client in
                for route in undocumented {
                    let uri = route.path
                        .replacingOccurrences(of: "{id}", with: unknownID())
                        .replacingOccurrences(of: "**", with: "undocumented/path")
                    try await client.execute(uri: uri, method: route.method, headers: [.authorization: "Bearer \(adminToken)"]) { response in
                        #expect([.notFound, .methodNotAllowed].contains(response.status), "\(route.method) \(route.path): \(response.status)")
                        let body = try JSON.parse(Data(String(buffer: response.body).utf8))
                        #expect(["not_found", "method_not_allowed"].contains(body["error"]["code"].string ?? ""), "\(route.path)")
                    }
                }
                // And every documented operation reaches a handler: without a token it is a 401
                // (the document itself needs none).
                for operation in documented {
                    let parts = operation.split(separator: " ", maxSplits: 1)
                    let method = HTTPRequest.Method(String(parts[0]))!
                    let uri = String(parts[1]).replacingOccurrences(of: "{id}", with: unknownID())
                    try await client.execute(uri: uri, method: method) { response in
                        let expected: HTTPResponse.Status = uri.hasSuffix("openapi.json") ? .ok : .unauthorized
                        #expect(response.status == expected, "\(operation)")
                    }
                }
            }
        }
    }

    /// The document is built from the endpoint table; this checks the other direction of the same
    /// walk, that the table is what the router was given: one documented operation per endpoint,
    /// under the endpoint's own operationId.
    @Test func everyEndpointIsTheOperationOfItsPathAndMethod() {
        let paths = openAPIDocument["paths"].object ?? [:]
        var ids = Set<String>()
        for endpoint in ControlAPI.endpoints {
            let operation = paths["/" + endpoint.path]?[endpoint.method.rawValue.lowercased()] ?? .null
            #expect(operation["operationId"].string == endpoint.operation.id, "\(endpoint.method) \(endpoint.path)")
            #expect(operation["responses"][String(endpoint.answerStatus.code)] != .null, "\(endpoint.operation.id)")
            ids.insert(endpoint.operation.id)
        }
        #expect(ids.count == ControlAPI.endpoints.count, "operationIds are unique")
        #expect(Self.documentedOperations().count == ControlAPI.endpoints.count)
    }

    /// A handler reads only the query parameters its operation declares, so the document lists
    /// every one the server reads: reading another is the route's fault, a 500.
    @Test func aHandlerReadsOnlyTheQueryParametersItsOperationDeclares() async throws {
        try await withStore(.sqlite) { store in
            let organisation = UUID()
            let request = Request(
                head: HTTPRequest(
                    method: .get, scheme: "http", authority: "localhost",
                    path: "/api/v1/channels?limit=5&organisationId=\(organisation.uuidString)"
                ),
                body: RequestBody(buffer: ByteBuffer())
            )
            func call(_ query: [APIQueryParameter]) -> APICall<NoBody> {
                APICall(request: request, parameters: Parameters(), scope: .serverAdmin, limits: .standard, store: store, query: query)
            }
            let declared = call([.organisation] + APIQueryParameter.paging)
            let page = try declared.page()
            let filter = try declared.queryID(.organisation)
            #expect(page.limit == 5)
            #expect(filter == organisation)

            let undeclared = call([])
            let reads: [() throws -> Void] = [{ _ = try undeclared.page() }, { _ = try undeclared.queryID(.organisation) }]
            for read in reads {
                let error = #expect(throws: APIError.self) { try read() }
                #expect(error?.code == .internal)
            }
        }
    }

    /// Every answer `APITestContext.call` gets is checked against its operation; the check finds
    /// an undocumented status and a body off its schema, and leaves routes without an operation alone.
    @Test func answersAreCheckedAgainstTheirOperation() {
        let page: JSON = .object(["items": .array([]), "nextCursor": .null])
        #expect(documentedProblems(.get, "/api/v1/channels?limit=5", status: 200, json: page).isEmpty)
        #expect(documentedProblems(.get, "/api/v1/channels", status: 409, json: .null) == ["GET /channels: 409 is not documented"])
        #expect(!documentedProblems(.get, "/api/v1/channels", status: 200, json: .object(["items": .array([])])).isEmpty)
        #expect(!documentedProblems(.get, "/api/v1/channels/\(unknownID())", status: 404, json: .object([:])).isEmpty)
        #expect(documentedProblems(.delete, "/api/v1/channels/\(unknownID())", status: 204, json: .null).isEmpty)
        #expect(documentedProblems(.put, "/api/v1/channels", status: 405, json: .null).isEmpty)
        #expect(documentedProblems(.get, "/api/v1/nowhere", status: 404, json: .null).isEmpty)
    }

    @Test func everyOperationDescribesItsParametersBodiesAndErrors() {
        let paths = openAPIDocument["paths"].object ?? [:]
        for (path, item) in paths {
            for method in Self.operationMethods where !item[method].isNull {
                let operation = item[method]
                let name = "\(method.uppercased()) \(path)"
                #expect(operation["operationId"].string != nil, "\(name)")
                // Path parameters are declared.
                if path.contains("{id}") {
                    let declared = (item["parameters"].array ?? []) + (operation["parameters"].array ?? [])
                    #expect(declared.contains { $0["$ref"].string == "#/components/parameters/Id" }, "\(name)")
                }
                let responses = operation["responses"].object ?? [:]
                #expect(responses.keys.contains { $0.hasPrefix("2") }, "\(name)")
                if path != "/openapi.json" {
                    #expect(responses["401"] != nil, "\(name)")
                    #expect(responses["500"] != nil, "\(name)")
                    #expect(operation["security"].isNull, "\(name) uses the global bearer security")
                } else {
                    #expect(operation["security"] == .array([]))
                }
                if method == "post" || method == "patch" {
                    #expect(!operation["requestBody"].isNull, "\(name)")
                    for status in ["400", "413", "415"] {
                        #expect(responses[status] != nil, "\(name) \(status)")
                    }
                }
                if method != "get" {
                    #expect(responses["403"] != nil, "\(name)")
                }
                if method == "get", path.hasSuffix("s") || path.hasSuffix("keys") {
                    let parameters = (operation["parameters"].array ?? []).compactMap { $0["$ref"].string }
                    #expect(parameters.contains("#/components/parameters/Limit"), "\(name)")
                    #expect(parameters.contains("#/components/parameters/After"), "\(name)")
                }
            }
        }
    }

    @Test func everyReferenceResolves() {
        func references(_ value: JSON) -> [String] {
            switch value {
            case .object(let object):
                (object["$ref"]?.string.map { [$0] } ?? []) + object.values.flatMap(references)
            case .array(let array):
                array.flatMap(references)
            default:
                []
            }
        }
        for reference in Set(references(openAPIDocument)) {
            let parts = reference.split(separator: "/").dropFirst().map(String.init)
            var target = openAPIDocument
            for part in parts { target = target[part] }
            #expect(!target.isNull, "\(reference)")
        }
    }

    @Test func theErrorCodesAreTheOnesTheAPIAnswers() {
        let documented = openAPIDocument["components"]["schemas"]["Error"]["properties"]["error"]["properties"]["code"]["enum"]
        #expect(documented == .array(APIError.Code.allCases.map { .string($0.rawValue) }))
    }

    @Test(arguments: Backend.allCases)
    func errorAnswersMatchTheErrorSchema(_ backend: Backend) async throws {
        try await withAPI(backend) { api in
            let answers = [
                try await api.call(.get, "channels", token: nil),
                try await api.call(.get, "channels/\(unknownID())"),
                try await api.call(.post, "channels", body: ["name": "x y"]),
                try await api.call(.put, "channels"),
                try await api.call(.get, "nowhere"),
            ]
            for answer in answers {
                expectConforms(answer.json, to: "Error")
            }
        }
    }

    /// Regression (issue "Control plane": schemathesis against the served document): `Created*`
    /// were `allOf` a schema with `additionalProperties: false` and a part adding `secret`, which no
    /// answer can satisfy; the schema check here took the union of the parts and missed it.
    @Test func aClosedPartOfAllOfRefusesWhatTheOtherPartsAdd() throws {
        let schema = try JSON.parse(Data(#"""
            {"allOf": [
              {"type": "object", "additionalProperties": false, "properties": {"id": {"type": "string"}}},
              {"type": "object", "required": ["secret"], "properties": {"secret": {"type": "string"}}}
            ]}
            """#.utf8))
        #expect(schemaProblems(.object(["id": .string("x"), "secret": .string("s")]), schema) == ["$.secret: is not documented"])
        #expect(!schemaProblems(.object(["id": .string("x")]), schema).isEmpty)
    }
}
