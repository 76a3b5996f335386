@testable import Admin
import Delivery

import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct AdminRoutesTests {
    static func app() -> some ApplicationProtocol {
        let router = Router()
        AdminRoutes().add(to: router)
        return Application(router: router)
    }

    /// The page loads its modules from the binary, with a policy that allows only this server's.
    @Test func thePageAndItsModulesAreServed() async throws {
        try await Self.app().test(.router) { client in
            for path in ["/admin", "/admin/"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                    #expect(response.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
                    #expect(String(buffer: response.body).contains(#"<script type="module" src="/admin/app.js">"#))
                }
            }
            try await client.execute(uri: "/admin/app.js", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/javascript; charset=utf-8")
                #expect(String(buffer: response.body).contains("whoami"))
            }
            try await client.execute(uri: "/admin/admin.css", method: .get) { response in
                #expect(response.headers[.contentType] == "text/css; charset=utf-8")
            }
            #expect(try await client.execute(uri: "/admin/missing.js", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/admin/..%2Fapp.js", method: .get).status == .notFound)
        }
    }

    /// A module is revalidated with its ETag: an unchanged one costs a 304 without a body.
    @Test func anUnchangedModuleIsNotSentAgain() async throws {
        try await Self.app().test(.router) { client in
            let etag = try #require(try await client.execute(uri: "/admin/api.js", method: .get).headers[.eTag])
            let again = try await client.execute(uri: "/admin/api.js", method: .get, headers: [.ifNoneMatch: etag])
            #expect(again.status == .notModified)
            #expect(again.body.readableBytes == 0)
            #expect(try await client.execute(uri: "/admin/api.js", method: .get, headers: [.ifNoneMatch: "\"x\""]).status == .ok)
        }
    }

    /// A module added to Sources/Admin/Pages but not to `AdminAssets.files` would be a 404 in every
    /// browser; the player's modules come from /player/.
    @Test func everyImportedModuleIsServed() throws {
        let imports = try Regex(#"from "(\./|/player/)([a-z0-9]+\.js)""#)
        var imported = Set<String>()
        for (name, file) in AdminAssets.files where name.hasSuffix(".js") {
            let source = String(buffer: file.asset.body)
            for match in source.matches(of: imports) {
                let module = String(source[match.output[2].range!])
                if source[match.output[1].range!] == "./" {
                    #expect(AdminAssets.files[module] != nil, "\(name) imports \(module)")
                    imported.insert(module)
                } else {
                    #expect(module == "antenne.js", "\(name) imports the player's \(module), not its entry point")
                }
            }
        }
        // Every module but the entry point is imported by another: none is dead.
        #expect(imported == Set(AdminAssets.files.keys.filter { $0.hasSuffix(".js") && $0 != "app.js" }))
    }
}
