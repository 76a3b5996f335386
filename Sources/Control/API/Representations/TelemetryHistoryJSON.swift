/// `TelemetryHistory` in responses: `GET channels/{id}/history`.
struct TelemetryHistoryJSON: APIRepresentation {
    static let sampleSchema = APISchema("TelemetrySample", .representation(nil, [
        "at": APIProperty.time,
        "bitrate": .number("Input bits per second; null while offline.", minimum: 0, nullable: true),
        "viewers": .integer(minimum: 0),
        "errors": .integer("Playback answers in error (4xx and 5xx) since the previous sample.", minimum: 0),
    ]))

    static let schema = APISchema("TelemetryHistory", .representation(
        "A channel's last hour, sampled every intervalSeconds, oldest first.",
        ["intervalSeconds": .integer(minimum: 1), "samples": .array(of: sampleSchema.reference)]
    ))

    struct Sample: Encodable {
        let at: String
        let bitrate: Nullable<Double>
        let viewers: Int
        let errors: Int
    }

    let intervalSeconds: Int
    let samples: [Sample]

    init(_ history: TelemetryHistory) {
        intervalSeconds = history.intervalSeconds
        samples = history.samples.map {
            Sample(at: APIDate.format($0.at), bitrate: Nullable($0.bitrate), viewers: $0.viewers, errors: $0.errors)
        }
    }
}
