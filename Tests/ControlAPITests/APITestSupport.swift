import Control
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing
import TestSupport

let testLogger: Logger = {
    var logger = Logger(label: "test.api")
    logger.logLevel = .warning
    return logger
}()

/// The server admin token the tests configure.
let adminToken = "test-admin-token-0123456789abcdef"

/// What a test gets: the store (to set up state directly) and an HTTP client on the API.
struct APITestContext: Sendable {
    let store: ControlStore
    let client: any TestClientProtocol
}

/// Opens a store on a fresh database of `backend`, runs `body`, then closes and removes it.
func withStore<T: Sendable>(_ backend: Backend, _ body: @Sendable (ControlStore) async throws -> T) async throws -> T {
    let (location, remove) = try await backend.makeLocation()
    let store: ControlStore
    do {
        store = try await ControlStore.open(database: location, logger: testLogger)
    } catch {
        await remove()
        throw error
    }
    do {
        let result = try await body(store)
        await store.shutdown()
        await remove()
        return result
    } catch {
        await store.shutdown()
        await remove()
        throw error
    }
}

/// Opens a store on a fresh database of `backend`, mounts the API on a router with the test admin
/// token, runs `body` against it, then closes and removes the database.
func withAPI<T: Sendable>(
    _ backend: Backend, limits: APILimits = .standard, media: MediaLibrary? = nil,
    _ body: @Sendable (APITestContext) async throws -> T
) async throws -> T {
    try await withStore(backend) { store in
        let router = Router()
        ControlAPI(store: store, adminToken: Secret(adminToken), limits: limits, media: media, logger: testLogger).add(to: router)
        let app = Application(router: router, logger: testLogger)
        return try await app.test(.router) { client in
            try await body(APITestContext(store: store, client: client))
        }
    }
}

/// An answer: status, headers and the body parsed as JSON (`.null` when empty).
struct APIAnswer: Sendable, CustomStringConvertible {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let json: JSON
    let text: String

    var description: String { "\(status.code) \(text)" }

    /// The error code of an error answer.
    var errorCode: String? { json["error"]["code"].string }
    var errorField: String? { json["error"]["field"].string }
    var errorMessage: String { json["error"]["message"].string ?? "" }
}

extension APITestContext {
    /// Sends a request to `/api/v1/{path}`. `body` is encoded as JSON with
    /// `Content-Type: application/json` unless `rawBody` or other headers are given. The answer
    /// must be one the OpenAPI document describes for the operation (``documentedProblems``).
    @discardableResult
    func call(
        _ method: HTTPRequest.Method, _ path: String, token: String? = adminToken,
        body: [String: Any]? = nil, rawBody: String? = nil, headers extra: HTTPFields = [:],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> APIAnswer {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        var buffer: ByteBuffer?
        if let body {
            let data = try JSONSerialization.data(withJSONObject: body)
            buffer = ByteBuffer(bytes: data)
            headers[.contentType] = "application/json"
        } else if let rawBody {
            buffer = ByteBuffer(string: rawBody)
        }
        for field in extra { headers[field.name] = field.value }
        let uri = path.hasPrefix("/") ? path : ControlAPI.basePath + path
        let answer = try await client.execute(uri: uri, method: method, headers: headers, body: buffer) { response in
            let text = String(buffer: response.body)
            let json = text.isEmpty ? JSON.null : try JSON.parse(Data(text.utf8))
            return APIAnswer(status: response.status, headers: response.headers, json: json, text: text)
        }
        // Every answer a test sees is one the document describes.
        let problems = documentedProblems(method, uri, status: answer.status.code, json: answer.json)
        #expect(problems.isEmpty, "\(problems.joined(separator: "; "))", sourceLocation: sourceLocation)
        return answer
    }

    /// Sends a request and expects `status`; returns the JSON.
    @discardableResult
    func expect(
        _ status: HTTPResponse.Status, _ method: HTTPRequest.Method, _ path: String, token: String? = adminToken,
        body: [String: Any]? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> JSON {
        let answer = try await call(method, path, token: token, body: body)
        #expect(answer.status == status, "\(method.rawValue) \(path): \(answer)", sourceLocation: sourceLocation)
        if status.code >= 400 {
            try checkErrorBody(answer, sourceLocation: sourceLocation)
        }
        return answer.json
    }

    // MARK: Set-up shortcuts

    /// Creates an organisation with the admin token and an API token of `role` in it.
    func organisation(_ name: String, role: String = "admin") async throws -> (id: String, token: String) {
        let organisation = try await expect(.created, .post, "organisations", body: ["name": name])
        let id = try #require(organisation["id"].string)
        let token = try await expect(.created, .post, "organisations/\(id)/tokens", body: ["name": "\(name) \(role)", "role": role])
        return (id, try #require(token["secret"].string))
    }

    func channel(_ name: String, token: String) async throws -> String {
        let channel = try await expect(.created, .post, "channels", token: token, body: ["name": name])
        return try #require(channel["id"].string)
    }
}

/// Every error answer has `{"error": {"code", "message", "field"}}` and a JSON content type.
func checkErrorBody(_ answer: APIAnswer, sourceLocation: SourceLocation = #_sourceLocation) throws {
    #expect(answer.headers[.contentType]?.hasPrefix("application/json") == true, "\(answer)", sourceLocation: sourceLocation)
    let error = answer.json["error"]
    #expect(error["code"].string != nil, "\(answer)", sourceLocation: sourceLocation)
    #expect(error["message"].string?.isEmpty == false, "\(answer)", sourceLocation: sourceLocation)
    #expect(error.object?.keys.contains("field") == true, "\(answer)", sourceLocation: sourceLocation)
}

/// A UUID no resource has.
func unknownID() -> String { UUID().uuidString.lowercased() }
