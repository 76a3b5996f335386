import Foundation

/// `ChannelSchedule` in responses.
struct ScheduleJSON: APIRepresentation {
    static let schema = APISchema("Schedule", .representation(
        "A channel's schedule (file playout): each item plays from its start until the next item's start, a shorter file looping; the last loops until the schedule changes. Before the first start the channel plays its slate, if it has one. A live encoder still takes over.",
        ["channelId": APIProperty.id, "items": .array(of: itemSchema.reference, "In start order.")]
    ))

    static let itemSchema = APISchema("ScheduleItem", .representation(
        "A file of the server's media directory and when it starts.",
        [
            "path": .text("Inside the media directory (--media-dir), relative, without '..'.", length: ControlLimits.schedulePathLength),
            "startsAt": APIProperty.time,
        ]
    ))

    struct Item: Encodable {
        let path: String
        let startsAt: String
    }

    let channelId: String
    let items: [Item]

    init(channel: UUID, _ schedule: ChannelSchedule) {
        channelId = APIID.format(channel)
        items = schedule.items.map { Item(path: $0.path, startsAt: APIDate.format($0.startsAt)) }
    }
}

/// `PUT /channels/{id}/schedule`.
struct ReplaceScheduleBody: APIRequestBody {
    static let schema = APISchema("ScheduleReplace", .body(
        "The whole schedule, replacing the one the channel had. Starts strictly increasing; every path a readable file of the media directory.",
        required: ["items"],
        ["items": .array(of: itemSchema.reference, "At most \(ControlLimits.scheduleItems) items, in start order.")]
    ))

    static let itemSchema = APISchema("ScheduleItemInput", .body(
        "A file of the server's media directory and when it starts.",
        required: ["path", "startsAt"],
        [
            "path": .text("Inside the media directory (--media-dir), relative, without '..'.", length: ControlLimits.schedulePathLength),
            "startsAt": APIProperty.dateTimeInput,
        ]
    ))

    struct Item: Decodable {
        let item: ScheduleItem

        init(from decoder: any Decoder) throws {
            let object = try BodyObject(decoder, schema: ReplaceScheduleBody.itemSchema)
            guard let startsAt = try object.date("startsAt") else { throw APIError.invalid(field: object.path("startsAt"), reason: "required") }
            item = ScheduleItem(path: try object.required(String.self, "path"), startsAt: startsAt)
        }
    }

    let items: [ScheduleItem]

    init(from decoder: any Decoder) throws {
        let object = try BodyObject(decoder, schema: Self.schema)
        items = try object.required([Item].self, "items").map(\.item)
    }
}
