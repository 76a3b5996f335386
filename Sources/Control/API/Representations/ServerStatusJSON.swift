/// `ServerStatus` in responses: `GET server`.
struct ServerStatusJSON: APIRepresentation {
    static let archiveSchema = APISchema("ArchiveHealth", .representation(nil, [
        "failing": .boolean("Whether archive writes fail now (store full or unavailable)."),
        "segments": .integer("Segments written since the start.", format: "int64", minimum: 0),
        "failures": .integer("Writes that failed (each is retried).", format: "int64", minimum: 0),
        "dropped": .integer("Segments not archived because the queue was full.", format: "int64", minimum: 0),
        "pending": .integer("Segments waiting for the store.", minimum: 0),
    ]))

    static let transcoderSchema = APISchema("TranscoderStatus", .representation(nil, [
        "channel": .text(), "running": .boolean(), "restarts": .integer(minimum: 0),
        "speed": .number("FFmpeg's speed; below 1 the renditions fall behind.", minimum: 0, nullable: true),
        "lagSeconds": .number("How far the renditions trail the source.", nullable: true),
        "lastError": .text(nullable: true),
    ]))

    static let schema = APISchema("ServerStatus", .representation(
        "The host and the server's shared parts. A figure the host does not give is null.",
        [
            "cpu": .number("The server process's CPU time over the last sampling interval, in cores.", minimum: 0, nullable: true),
            "cores": .integer(minimum: 1, nullable: true),
            "memoryBytes": .integer("Resident memory of the server process.", format: "int64", minimum: 0, nullable: true),
            "memoryTotalBytes": .integer("The host's memory.", format: "int64", minimum: 0, nullable: true),
            "diskBytes": .integer("Size of the data directory's filesystem.", format: "int64", minimum: 0, nullable: true),
            "diskFreeBytes": .integer("Bytes still writable there.", format: "int64", minimum: 0, nullable: true),
            "archive": archiveSchema.reference,
            "transcoders": .array(of: transcoderSchema.reference),
            "liveChannels": .integer(minimum: 0),
            "uptimeSeconds": .integer(minimum: 0),
        ]
    ))

    struct Archive: Encodable {
        let failing: Bool
        let segments: Int64
        let failures: Int64
        let dropped: Int64
        let pending: Int
    }

    struct Transcoder: Encodable {
        let channel: String
        let running: Bool
        let restarts: Int
        let speed: Nullable<Double>
        let lagSeconds: Nullable<Double>
        let lastError: Nullable<String>
    }

    let cpu: Nullable<Double>
    let cores: Nullable<Int>
    let memoryBytes: Nullable<Int64>
    let memoryTotalBytes: Nullable<Int64>
    let diskBytes: Nullable<Int64>
    let diskFreeBytes: Nullable<Int64>
    let archive: Archive
    let transcoders: [Transcoder]
    let liveChannels: Int
    let uptimeSeconds: Int

    init(_ status: ServerStatus) {
        cpu = Nullable(status.cpu)
        cores = Nullable(status.cores)
        memoryBytes = Nullable(status.memoryBytes)
        memoryTotalBytes = Nullable(status.memoryTotalBytes)
        diskBytes = Nullable(status.diskBytes)
        diskFreeBytes = Nullable(status.diskFreeBytes)
        let a = status.archive
        archive = Archive(failing: a.failing, segments: a.segments, failures: a.failures, dropped: a.dropped, pending: a.pending)
        transcoders = status.transcoders.map {
            Transcoder(
                channel: $0.channel, running: $0.running, restarts: $0.restarts, speed: Nullable($0.speed),
                lagSeconds: Nullable($0.lagSeconds), lastError: Nullable($0.lastError))
        }
        liveChannels = status.liveChannels
        uptimeSeconds = status.uptimeSeconds
    }
}
