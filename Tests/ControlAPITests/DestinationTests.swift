import Control
import Foundation
import HTTPTypes
import Testing
import TestSupport

@Suite struct DestinationTests {
    @Test(arguments: Backend.allCases)
    func destinationKeysAreStoredButNeverShown(_ backend: Backend) async throws {
        try await withAPI(backend) { api in
            let a = try await api.organisation("A")
            let channel = try await api.channel("demo", token: a.token)
            let key = "yt-key-\(UUID().uuidString)"

            let created = try await api.call(
                .post, "channels/\(channel)/destinations", token: a.token,
                body: ["url": "rtmp://a.rtmp.youtube.com/live2", "streamKey": key, "rendition": "720p"])
            #expect(created.status == .created)
            expectConforms(created.json, to: "Destination")
            let id = try #require(created.json["id"].string)
            #expect(created.headers[.location] == "/api/v1/destinations/\(id)")
            #expect(created.json["streamKeySet"].bool == true)
            #expect(created.json["configured"].bool == false)
            #expect(created.json["rendition"].string == "720p")
            #expect(created.json["status"]["state"].string == "idle")
            #expect(!created.text.contains(key))

            let list = try await api.call(.get, "channels/\(channel)/destinations", token: a.token)
            expectConforms(list.json, to: "DestinationPage")
            #expect(list.json["items"].array?.count == 1)
            #expect(!list.text.contains(key))

            // The restreamer gets the key; what it reports is shown.
            let pushes = try await api.store.destinationsToPush()
            let push = try #require(pushes.first { $0.destination.id.uuidString.lowercased() == id })
            #expect(push.streamKey?.value == key)
            #expect(push.channelName == "demo")
            try await api.store.recordDestinationStatus([
                push.destination.id: DestinationStatus(
                    state: .retrying, lastError: "rtmp://a.rtmp.youtube.com/live2/***: I/O error", bytesSent: 1_234, droppedSamples: 56)
            ])
            let fetched = try await api.expect(.ok, .get, "destinations/\(id)", token: a.token)
            #expect(fetched["status"]["state"].string == "retrying")
            #expect(fetched["status"]["bytesSent"].int == 1_234)
            #expect(fetched["status"]["droppedSamples"].int == 56)
            #expect(fetched["status"]["lastError"].string == "rtmp://a.rtmp.youtube.com/live2/***: I/O error")
            #expect(fetched["status"]["updatedAt"].string != nil)

            // Another organisation does not see it.
            let b = try await api.organisation("B")
            try await api.expect(.notFound, .get, "destinations/\(id)", token: b.token)
            try await api.expect(.notFound, .get, "channels/\(channel)/destinations", token: b.token)
            try await api.expect(.notFound, .delete, "destinations/\(id)", token: b.token)

            try await api.expect(.noContent, .delete, "destinations/\(id)", token: a.token)
            try await api.expect(.notFound, .get, "destinations/\(id)", token: a.token)
            #expect(try await api.store.destinationsToPush().isEmpty)
        }
    }

    @Test(arguments: Backend.allCases)
    func destinationsThatCannotBePushedToAreRefused(_ backend: Backend) async throws {
        try await withAPI(backend) { api in
            let a = try await api.organisation("A")
            let channel = try await api.channel("demo", token: a.token)
            let path = "channels/\(channel)/destinations"
            for (body, field) in [
                (["url": "http://example.com/live"], "url"),
                (["url": "rtmp:///live"], "url"),
                (["url": "rtmp://host/live now"], "url"),
                (["url": "rtmp://host/live", "streamKey": "a/b"], "streamKey"),
                (["url": "rtmp://host/live", "streamKey": "key with space"], "streamKey"),
                (["url": "srt://host:9000?streamid=publish:{key}"], "streamKey"),
                (["url": "rtmp://host/live", "rendition": "../x"], "rendition"),
            ] {
                let answer = try await api.call(.post, path, token: a.token, body: body)
                #expect(answer.status == .badRequest, "\(body): \(answer)")
                #expect(answer.errorField == field, "\(body): \(answer)")
            }
            for index in 0..<ControlLimits.destinationsPerChannel {
                try await api.expect(.created, .post, path, token: a.token, body: ["url": "rtmp://host\(index)/live"])
            }
            let full = try await api.call(.post, path, token: a.token, body: ["url": "rtmp://one-too-many/live"])
            #expect(full.status == .conflict)
            try await api.expect(.notFound, .post, "channels/\(unknownID())/destinations", body: ["url": "rtmp://h/live"])
        }
    }

    @Test(arguments: Backend.allCases)
    func theConfigurationsDestinationsReplaceTheConfiguredOnesOnly(_ backend: Backend) async throws {
        try await withAPI(backend) { api in
            let declared = try await api.store.declare([DeclaredChannel(
                name: "talks", streamKey: "configured-key-1", ladder: "passthrough", archive: .disabled, visibility: .public)])
            let channel = try #require(declared.first)
            let id = channel.id.uuidString.lowercased()
            try await api.expect(.created, .post, "channels/\(id)/destinations", body: ["url": "rtmp://from-the-api/live"])
            let twitch = NewChannelDestination(url: "rtmps://live.twitch.tv/app", streamKey: Secret("live_1"))
            try await api.store.declareDestinations(channel: channel.id, [twitch, NewChannelDestination(url: "rtmp://old/live", streamKey: nil)])
            let first = try await api.store.destinations(channel: channel.id, scope: .serverAdmin).items
            #expect(Set(first.map(\.url)) == ["rtmp://from-the-api/live", "rtmps://live.twitch.tv/app", "rtmp://old/live"])
            let kept = try #require(first.first { $0.url == "rtmps://live.twitch.tv/app" })
            #expect(kept.configured && kept.hasStreamKey)

            // The next start's configuration drops one; the unchanged one keeps its id (its push goes on).
            try await api.store.declareDestinations(channel: channel.id, [twitch])
            let second = try await api.store.destinations(channel: channel.id, scope: .serverAdmin).items
            #expect(Set(second.map(\.url)) == ["rtmp://from-the-api/live", "rtmps://live.twitch.tv/app"])
            #expect(second.first { $0.url == "rtmps://live.twitch.tv/app" }?.id == kept.id)
        }
    }
}
