import Control
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import TestSupport

/// The API behind a real HTTP server on loopback, for what only the wire shows: a large body
/// streamed in and refused part-way, and the connection still answering afterwards.
@Suite struct LiveServerTests {
    @Test(arguments: Backend.allCases)
    func aLargeStreamedBodyIs413OverRealHTTP(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let router = Router()
            ControlAPI(store: store, adminToken: Secret(adminToken), logger: testLogger).add(to: router)
            let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: testLogger)
            try await app.test(.live) { client in
                let auth: HTTPFields = [.authorization: "Bearer \(adminToken)", .contentType: "application/json"]
                let big = ByteBuffer(string: #"{"name": ""# + String(repeating: "x", count: 300_000) + #""}"#)
                try await client.execute(uri: "/api/v1/organisations", method: .post, headers: auth, body: big) { response in
                    #expect(response.status == .contentTooLarge)
                    let json = try JSON.parse(Data(String(buffer: response.body).utf8))
                    #expect(json["error"]["code"].string == "too_large")
                }
                try await client.execute(uri: "/api/v1/organisations", method: .post, headers: auth, body: ByteBuffer(string: #"{"name": "A"}"#)) { response in
                    #expect(response.status == .created)
                }
            }
        }
    }
}
