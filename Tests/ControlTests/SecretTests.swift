import Control
import Foundation
import Testing

@Suite("Secrets stay out of descriptions")
struct SecretTests {
    @Test func createdSecretsAreRedacted() async throws {
        try await withStore(.sqlite) { store in
            let orgs = try await TwoOrganisations.make(in: store)
            let channel = try await store.createChannel(organisation: orgs.a.id, NewChannel(name: "redact"), scope: orgs.scopeA)
            let key = try await store.createStreamKey(channel: channel.id, label: "OBS", scope: orgs.scopeA)
            let token = try await store.createToken(organisation: orgs.a.id, name: "ci", role: .admin, scope: orgs.scopeA)
            let hook = try await store.createWebhook(
                organisation: orgs.a.id, NewWebhook(url: "https://example.com/h", events: [.streamStarted]), scope: orgs.scopeA
            )
            _ = try await store.enqueue(.streamStarted, organisation: orgs.a.id, payload: "{}")
            let due = try #require(try await store.dueDeliveries(limit: 1).first)

            let cases: [(String, any Sendable)] = [
                (key.secret.value, key), (token.secret.value, token), (hook.secret.value, hook), (hook.secret.value, due),
            ]
            for (secret, value) in cases {
                var dumped = ""
                dump(value, to: &dumped)
                for text in ["\(value)", String(reflecting: value), dumped] {
                    #expect(!text.contains(secret), "\(type(of: value)) leaks its secret")
                    #expect(text.contains("redacted"))
                }
            }
            #expect(key.secret.value.hasPrefix("sk_"))
            #expect(hook.secret.value.hasPrefix("whsec_"))
        }
    }
}

@Suite("Server admin token")
struct AdminTokenTests {
    @Test func matchesOnlyTheConfiguredToken() {
        let configured = "admin-0123456789abcdef"
        #expect(Scope.serverAdmin(presented: configured, configured: configured) == .serverAdmin)
        #expect(Scope.serverAdmin(presented: configured + "x", configured: configured) == nil)
        #expect(Scope.serverAdmin(presented: String(configured.dropLast()), configured: configured) == nil)
        #expect(Scope.serverAdmin(presented: "", configured: configured) == nil)
        #expect(Scope.serverAdmin(presented: "", configured: "") == nil)
    }
}
