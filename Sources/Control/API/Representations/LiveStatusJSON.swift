/// `LiveStatus` in responses: `GET channels/{id}/live`.
struct LiveStatusJSON: APIRepresentation {
    static let schema = APISchema("LiveStatus", .representation(
        "A channel now. The input figures are the encoder's (before the transcoder), null while unknown.",
        [
            "live": .boolean("Whether an encoder publishes."),
            "videoCodec": .text("RFC 6381 codecs string of the input video.", nullable: true),
            "audioCodec": .text("RFC 6381 codecs string of the input audio.", nullable: true),
            "width": .integer(minimum: 0, nullable: true), "height": .integer(minimum: 0, nullable: true),
            "bitrate": .number("Input bits per second, all tracks, over the last key-frame intervals.", minimum: 0, nullable: true),
            "framesPerSecond": .number(minimum: 0, nullable: true),
            "keyFrameInterval": .number("Seconds between the encoder's key frames.", minimum: 0, nullable: true),
            "viewers": .integer("Distinct viewers in the last two segment targets.", minimum: 0),
            "latency": .number("Seconds behind live, as players report it.", minimum: 0, nullable: true),
            "renditions": .array(of: .text(), "The renditions served."),
            "p2pPeers": .integer("Players connected to the channel's P2P swarms now.", minimum: 0),
            "p2pOffload": .number(
                "Share of P2P players' media bytes that came from peers over the last telemetry interval, 0 to 1.", minimum: 0,
                nullable: true),
            "input": .choice(
                StreamKeyRole.self, "The input the channel follows now (its primary, its backup, or the slate); null while offline.",
                nullable: true),
            "inputSwitches": .integer("Times the channel went from one input to another since the server started.", minimum: 0),
            "srt": srtSchema,
        ]
    ))

    /// `srt`: the SRT link of the active input, inline (it is never used elsewhere).
    static let srtSchema = OpenAPIValue.representation(
        "The SRT link of the active input, as the server receives it (libsrt's statistics); null unless that input is an SRT publish or pull.",
        nullable: true,
        [
            "rttMilliseconds": .number("Smoothed round-trip time to the encoder.", minimum: 0),
            "packetsReceived": .integer("Since the connection started.", format: "int64", minimum: 0),
            "packetsLost": .integer(
                "Packets reported lost since the connection started (a retransmission may still recover them).", format: "int64", minimum: 0),
            "packetsRetransmitted": .integer("Retransmitted packets received since the connection started.", format: "int64", minimum: 0),
            "receiveBitrate": .number("Bits per second received over libsrt's last measuring interval.", minimum: 0),
            "latencyMilliseconds": .integer("Receiver latency agreed with the encoder.", minimum: 0),
        ])

    struct SRTLink: Encodable {
        let rttMilliseconds: Double
        let packetsReceived: Int64
        let packetsLost: Int64
        let packetsRetransmitted: Int64
        let receiveBitrate: Double
        let latencyMilliseconds: Int

        init(_ link: SRTLinkStatus) {
            rttMilliseconds = link.rttMilliseconds
            packetsReceived = link.packetsReceived
            packetsLost = link.packetsLost
            packetsRetransmitted = link.packetsRetransmitted
            receiveBitrate = link.receiveBitrate
            latencyMilliseconds = link.latencyMilliseconds
        }
    }

    let live: Bool
    let videoCodec: Nullable<String>
    let audioCodec: Nullable<String>
    let width: Nullable<Int>
    let height: Nullable<Int>
    let bitrate: Nullable<Double>
    let framesPerSecond: Nullable<Double>
    let keyFrameInterval: Nullable<Double>
    let viewers: Int
    let latency: Nullable<Double>
    let renditions: [String]
    let p2pPeers: Int
    let p2pOffload: Nullable<Double>
    let input: Nullable<String>
    let inputSwitches: Int
    let srt: Nullable<SRTLink>

    init(_ status: LiveStatus) {
        live = status.live
        videoCodec = Nullable(status.videoCodec)
        audioCodec = Nullable(status.audioCodec)
        width = Nullable(status.width)
        height = Nullable(status.height)
        bitrate = Nullable(status.bitrate)
        framesPerSecond = Nullable(status.framesPerSecond)
        keyFrameInterval = Nullable(status.keyFrameInterval)
        viewers = status.viewers
        latency = Nullable(status.latency)
        renditions = status.renditions
        p2pPeers = status.p2pPeers
        p2pOffload = Nullable(status.p2pOffload)
        input = Nullable(status.input?.rawValue)
        inputSwitches = status.inputSwitches
        srt = Nullable(status.srt.map(SRTLink.init))
    }
}
