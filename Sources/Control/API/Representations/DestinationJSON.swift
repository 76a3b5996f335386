/// `ChannelDestination` in responses. The stream key is never part of it: `streamKeySet` tells
/// whether one is stored.
struct DestinationJSON: APIRepresentation {
    static let schema = APISchema("Destination", .representation(
        "A restream destination: the channel (its source or one rendition) is pushed there whenever it is live. The stream key is never shown.",
        [
            "id": APIProperty.id, "channelId": APIProperty.id,
            "url": .text("rtmp://, rtmps:// or srt://, without the key.", format: "uri", length: ControlLimits.urlLength),
            "rendition": .text("The ladder rung pushed; null: the source as published.", length: ControlLimits.renditionNameLength, nullable: true),
            "streamKeySet": .boolean("Whether a stream key is stored for it."),
            "configured": .boolean("Declared by the server's configuration file: replaced at each start."),
            "status": statusSchema.reference,
            "createdAt": APIProperty.time,
        ]
    ))

    static let statusSchema = APISchema("DestinationStatus", .representation(
        "As the server pushing it last reported (every 2 s while it runs).",
        [
            "state": .choice(
                DestinationStatus.State.self,
                "idle: the channel is not live; connecting: FFmpeg runs, nothing sent yet; pushing: bytes are going out; retrying: the last push failed, the next is scheduled (every second, then backing off to 30 s)."
            ),
            "lastError": .text("The last failure, one line, the key masked.", nullable: true),
            "bytesSent": .integer("Bytes written to the destination, over every attempt.", format: "int64", minimum: 0),
            "droppedSamples": .integer(
                "Samples not pushed because the destination fell too far behind (dropped up to the next key frame).",
                format: "int64", minimum: 0),
            "updatedAt": APIProperty.timestamp("When it was last reported.", nullable: true),
        ]
    ))

    struct Status: Encodable {
        let state: String
        let lastError: Nullable<String>
        let bytesSent: Int64
        let droppedSamples: Int64
        let updatedAt: Nullable<String>
    }

    let id: String
    let channelId: String
    let url: String
    let rendition: Nullable<String>
    let streamKeySet: Bool
    let configured: Bool
    let status: Status
    let createdAt: String

    init(_ destination: ChannelDestination) {
        id = APIID.format(destination.id)
        channelId = APIID.format(destination.channelID)
        url = destination.url
        rendition = Nullable(destination.rendition)
        streamKeySet = destination.hasStreamKey
        configured = destination.configured
        status = Status(
            state: destination.status.state.rawValue, lastError: Nullable(destination.status.lastError),
            bytesSent: destination.status.bytesSent, droppedSamples: destination.status.droppedSamples, updatedAt: Nullable(destination.status.updatedAt.map(APIDate.format)))
        createdAt = APIDate.format(destination.createdAt)
    }
}

/// `POST /channels/{id}/destinations`.
struct CreateDestinationBody: APIRequestBody {
    static let schema = APISchema("DestinationCreate", .body(
        "A new restream destination. The key goes where the URL says {key}, else at the end of an RTMP path (as YouTube and Twitch show it), else as an SRT streamid.",
        required: ["url"],
        [
            "url": .text("rtmp://, rtmps:// or srt:// with a host.", format: "uri", length: ControlLimits.urlLength),
            "streamKey": .text("Secret: stored, never shown again.", length: ControlLimits.destinationKeyLength),
            "rendition": .text(
                "A ladder rung to push instead of the source.",
                pattern: "^[a-z0-9_-]{\(ControlLimits.renditionNameLength.lowerBound),\(ControlLimits.renditionNameLength.upperBound)}$",
                length: ControlLimits.renditionNameLength),
        ]
    ))

    let destination: NewChannelDestination

    init(from decoder: any Decoder) throws {
        let object = try BodyObject(decoder, schema: Self.schema)
        destination = NewChannelDestination(
            url: try object.required(String.self, "url"),
            streamKey: try object.optional(String.self, "streamKey").map(Secret.init),
            rendition: try object.optional(String.self, "rendition")
        )
    }
}
