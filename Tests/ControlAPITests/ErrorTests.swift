import Control
import Foundation
import HTTPTypes
import Testing
import TestSupport

@Suite struct ErrorTests {
    @Test(arguments: Backend.allCases)
    func malformedJSONIs400(_ backend: Backend) async throws {
        try await withAPI(backend) { api in
            let a = try await api.organisation("A")
            let json: HTTPFields = [.contentType: "application/json"]
            let syntax = try await api.call(.post, "channels", token: a.token, rawBody: #"{"name": "demo""#, headers: json)
            #expect(syntax.status == .badRequest)
            #expect(syntax.errorCode == "invalid")
            #expect(syntax.errorMessage.contains("not valid JSON"), "\(syntax)")
            try checkErrorBody(syntax)
            // Where the syntax breaks.
            let position = try await api.call(.post, "channels", token: a.token, rawBody: #"{"name" "demo"}"#, headers: json)
            #expect(position.status == .badRequest)
            #expect(position.errorMessage.contains("character 8"), "\(position)")

            let cases: [(String, String, String)] = [
                (#"{"name": 42}"#, "name", "expected a string"),
                (#"{"name": "demo", "archive": {"enabled": "yes"}}"#, "archive.enabled", "expected a boolean"),
                (#"{"name": "demo", "archive": {"retentionSeconds": 60}}"#, "archive.enabled", "required"),
                (#"{"name": "demo", "archive": {"enabled": true, "retentionSeconds": 1.5}}"#, "archive.retentionSeconds", "expected an integer"),
                (#"{"name": "demo", "archive": {"enabled": true, "retentionBytes": 1e30}}"#, "archive.retentionBytes", "expected an integer"),
                (#"{"name": "demo", "archive": {"enabled": true, "keepForever": true}}"#, "archive.keepForever", "unknown field"),
                (#"{"name": "demo", "archive": []}"#, "archive", "expected an object"),
                (#"{"name": "demo", "visibility": "secret"}"#, "visibility", "must be one of: public, token"),
                (#"{"name": "demo", "ladder": null}"#, "ladder", "must not be null"),
                (#"{"name": "demo", "organisationId": "x"}"#, "organisationId", "must be a UUID"),
                (#"{"nmae": "demo"}"#, "nmae", "unknown field"),
                (#"{}"#, "name", "required"),
            ]
            for (body, field, message) in cases {
                let answer = try await api.call(.post, "channels", token: a.token, rawBody: body, headers: json)
                #expect(answer.status == .badRequest, "\(body): \(answer)")
                #expect(answer.errorField == field, "\(body): \(answer)")
                #expect(answer.errorMessage.hasPrefix(field), "\(body): \(answer)")
                #expect(answer.errorMessage.contains(message), "\(body): \(answer)")
            }
            for body in ["[]", #""demo""#, "42", "null"] {
                let answer = try await api.call(.post, "channels", token: a.token, rawBody: body, headers: json)
                #expect(answer.status == .badRequest, "\(body): \(answer)")
                #expect(answer.errorCode == "invalid")
            }
            let empty = try await api.call(.post, "channels", token: a.token, rawBody: "", headers: json)
            #expect(empty.status == .badRequest)
            #expect(empty.errorMessage.contains("empty"))
        }
    }

    @Test(arguments: Backend.allCases)
    func validationErrorsNameTheField(_ backend: Backend) async throws {
        try await withAPI(backend) { api in
            let a = try await api.organisation("A")
            let channel = try await api.channel("demo", token: a.token)
            let cases: [(HTTPRequest.Method, String, [String: Any], String)] = [
                (.post, "channels", ["name": "has space"], "name"),
                (.post, "channels", ["name": String(repeating: "x", count: 65)], "name"),
                (.post, "channels", ["name": "ok", "archive": ["enabled": true, "retentionSeconds": 0]], "archive.retentionSeconds"),
                (.patch, "channels/\(channel)", ["ladder": " "], "ladder"),
                (.post, "organisations/\(a.id)/tokens", ["name": "x", "role": "owner"], "role"),
                (.post, "channels/\(channel)/keys", ["label": "tab\there"], "label"),
                (.post, "channels/\(channel)/events", ["title": "t", "startsAt": "tomorrow", "endsAt": "2030-01-01T00:00:00Z"], "startsAt"),
                (.post, "channels/\(channel)/events", ["title": "t", "startsAt": "2030-01-01", "endsAt": "2030-01-02T00:00:00Z"], "startsAt"),
                (.post, "channels/\(channel)/events", ["title": "t", "startsAt": "2030-01-01T00:00:00Z"], "endsAt"),
                (.post, "channels/\(channel)/events", ["title": "t", "startsAt": "2030-01-01T00:00:00Z", "endsAt": "2030-03-01T00:00:00Z"], "endsAt"),
                (.post, "channels/\(channel)/events", [
                    "title": "t", "startsAt": "2030-01-01T00:00:00Z", "endsAt": "2030-01-01T01:00:00Z", "posterUrl": "javascript:alert(1)",
                ], "posterUrl"),
                (.post, "channels/\(channel)/events", [
                    "title": "t", "startsAt": "2030-01-01T00:00:00Z", "endsAt": "2030-01-01T01:00:00Z", "posterURL": "https://example.com/p.jpg",
                ], "posterURL"),
            ]
            for (method, path, body, field) in cases {
                let answer = try await api.call(method, path, token: a.token, body: body)
                #expect(answer.status == .badRequest, "\(path) \(body): \(answer)")
                #expect(answer.errorCode == "invalid")
                #expect(answer.errorField == field, "\(path) \(body): \(answer)")
                try checkErrorBody(answer)
            }
            let blank = try await api.call(.post, "organisations", body: ["name": " "])
            #expect(blank.errorField == "name", "\(blank)")
        }
    }

    @Test(arguments: Backend.allCases)
    func bodiesOverTheLimitAre413(_ backend: Backend) async throws {
        let limits = APILimits(requestBodyBytes: 1_024)
        try await withAPI(backend, limits: limits) { api in
            let a = try await api.organisation("A")
            let big = #"{"name": "demo", "ladder": ""# + String(repeating: "x", count: 2_000) + #""}"#
            let answer = try await api.call(.post, "channels", token: a.token, rawBody: big, headers: [.contentType: "application/json"])
            #expect(answer.status == .contentTooLarge)
            #expect(answer.errorCode == "too_large")
            try checkErrorBody(answer)
            // A declared length over the limit is refused before anything is read.
            let declared = try await api.call(
                .post, "channels", token: a.token, headers: [.contentType: "application/json", .contentLength: "1000000"]
            )
            #expect(declared.status == .contentTooLarge)
            // Just under the limit is fine.
            let ladder = String(repeating: "x", count: 900)
            try await api.expect(.created, .post, "channels", token: a.token, body: ["name": "fits", "ladder": ladder])
        }
        // The default limit is 64 KiB and takes the largest ladder the store accepts.
        #expect(APILimits.standard.requestBodyBytes == 65_536)
        try await withAPI(backend) { api in
            let a = try await api.organisation("A")
            let ladder = String(repeating: "\"", count: ControlLimits.ladderLength.upperBound)
            try await api.expect(.created, .post, "channels", token: a.token, body: ["name": "big", "ladder": ladder])
            let tooBig = String(repeating: "x", count: 70_000)
            let answer = try await api.call(.post, "channels", token: a.token, body: ["name": "bigger", "ladder": tooBig])
            #expect(answer.status == .contentTooLarge)
        }
    }

    @Test(arguments: Backend.allCases)
    func bodiesMustBeJSON(_ backend: Backend) async throws {
        try await withAPI(backend) { api in
            let a = try await api.organisation("A")
            for contentType in [nil, "text/plain", "application/x-www-form-urlencoded", "application/jsonp"] {
                var headers: HTTPFields = [:]
                if let contentType { headers[.contentType] = contentType }
                let answer = try await api.call(.post, "channels", token: a.token, rawBody: #"{"name": "demo"}"#, headers: headers)
                #expect(answer.status == .unsupportedMediaType, "\(contentType ?? "none")")
                #expect(answer.errorCode == "unsupported_media_type")
                try checkErrorBody(answer)
            }
            for contentType in ["application/json; charset=utf-8", "Application/JSON"] {
                let answer = try await api.call(.post, "channels", token: a.token, rawBody: #"{"name": "demo-\#(contentType.count)"}"#, headers: [.contentType: contentType])
                #expect(answer.status == .created, "\(contentType): \(answer)")
            }
            // Rotation's body is optional, but one that is sent must be JSON.
            let channel = try await api.channel("keys", token: a.token)
            let key = try await api.expect(.created, .post, "channels/\(channel)/keys", token: a.token, body: ["label": "k"])
            let keyID = try #require(key["id"].string)
            let plain = try await api.call(.post, "keys/\(keyID)/rotate", token: a.token, rawBody: "label=x", headers: [.contentType: "text/plain"])
            #expect(plain.status == .unsupportedMediaType)
            let untyped = try await api.call(.post, "keys/\(keyID)/rotate", token: a.token, rawBody: "label=x")
            #expect(untyped.status == .unsupportedMediaType)
            // A JSON content type with an empty body is no body.
            let empty = try await api.call(.post, "keys/\(keyID)/rotate", token: a.token, headers: [.contentType: "application/json"])
            #expect(empty.status == .created, "\(empty)")
        }
    }

    @Test(arguments: Backend.allCases)
    func unknownRoutesAndMethodsAnswerJSON(_ backend: Backend) async throws {
        try await withAPI(backend) { api in
            for path in ["/api/v1", "/api/v1/", "/api/v1/nothing", "/api/v1/channels/\(unknownID())/nothing", "/api/v1/a/b/c/d"] {
                for method: HTTPRequest.Method in [.get, .post, .put, .delete] {
                    let answer = try await api.call(method, path, token: nil)
                    #expect(answer.status == .notFound, "\(method.rawValue) \(path): \(answer)")
                    #expect(answer.errorCode == "not_found")
                    try checkErrorBody(answer)
                }
            }
            let put = try await api.call(.put, "channels")
            #expect(put.status == .methodNotAllowed)
            #expect(put.errorCode == "method_not_allowed")
            #expect(put.headers[.allow] == "POST, GET, HEAD")
            try checkErrorBody(put)
            let post = try await api.call(.post, "tokens/\(unknownID())")
            #expect(post.status == .methodNotAllowed)
            #expect(post.headers[.allow] == "GET, HEAD, DELETE")
            // A malformed id is a 404 like an unknown one.
            try await api.expect(.notFound, .get, "channels/not-a-uuid")
            // HEAD answers like GET without a body.
            let head = try await api.call(.head, "channels")
            #expect(head.status == .ok)
            #expect(head.text.isEmpty)
        }
    }

    /// Regression (issue "Control plane": schemathesis against the served document): TRACE and
    /// QUERY under `/api/v1/` got the router's empty 404, not the JSON 405 with `Allow` the
    /// document promises for a method a path does not have.
    @Test func everyMethodOfAnAPIPathAnswersJSON() async throws {
        try await withAPI(.sqlite) { api in
            for method in [HTTPRequest.Method.trace, HTTPRequest.Method("QUERY")!] {
                let known = try await api.call(method, "channels")
                #expect(known.status == .methodNotAllowed, "\(method.rawValue): \(known)")
                #expect(known.errorCode == "method_not_allowed")
                #expect(known.headers[.allow] == "POST, GET, HEAD")
                try checkErrorBody(known)
                let unknown = try await api.call(method, "nothing", token: nil)
                #expect(unknown.status == .notFound, "\(method.rawValue): \(unknown)")
                try checkErrorBody(unknown)
            }
        }
    }
}
