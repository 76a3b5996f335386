import Foundation

/// The JSON body of a `clip.ready` webhook delivery, shaped like the server's `stream.*` ones:
///
/// ```json
/// {"channel":{"id":"…","name":"match1"},
///  "clip":{"downloadPath":"/clips/….mp4","error":null,"id":"…","playlistPath":"/clips/…/master.m3u8",
///          "size":1048576,"status":"ready"},
///  "createdAt":"2026-05-01T18:00:00.123Z","id":"…","organisationId":"…","type":"clip.ready"}
/// ```
///
/// `status` is `ready` (with `size`) or `failed` (with `error`). `id` names the event: the same
/// for every webhook that receives it and every retry. Ids are lowercase, as in the REST API.
struct ClipReadyPayload: Encodable {
    struct ChannelReference: Encodable {
        let id: String
        let name: String
    }

    struct ClipReference: Encodable {
        let id: String
        let status: String
        let size: Nullable<Int64>
        let error: Nullable<String>
        let downloadPath: String
        let playlistPath: String
    }

    let id: String
    let type: String
    let createdAt: String
    let channel: ChannelReference
    let organisationId: String
    let clip: ClipReference

    init(id: UUID = UUID(), clip: Clip, channelName: String, organisationID: UUID, at date: Date) {
        self.id = APIID.format(id)
        self.type = WebhookEvent.clipReady.rawValue
        self.createdAt = APIDate.format(date)
        self.channel = ChannelReference(id: APIID.format(clip.channelID), name: channelName)
        self.organisationId = APIID.format(organisationID)
        self.clip = ClipReference(
            id: APIID.format(clip.id), status: clip.status.rawValue, size: Nullable(clip.size),
            error: Nullable(clip.error), downloadPath: clip.downloadPath, playlistPath: clip.playlistPath
        )
    }

    func json() throws(ControlError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(self), as: UTF8.self)
        } catch {
            throw .database("clip.ready payload: \(error)")
        }
    }
}
