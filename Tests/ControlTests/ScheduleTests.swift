import Control
import Foundation
import Testing
import TestSupport

/// A channel's schedule (file playout): which item plays at a time and from where in its file,
/// the validation of a schedule, the media directory's confinement, and the store's round trip
/// with organisation scope.
@Suite("Schedule")
struct ScheduleTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    static func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

    static let schedule = ChannelSchedule(items: [
        ScheduleItem(path: "a.mp4", startsAt: at(0)),
        ScheduleItem(path: "b.mp4", startsAt: at(60)),
    ])

    @Test("before the first start nothing of the schedule plays; an empty one never does")
    func beforeTheFirstItem() {
        #expect(Self.schedule.cue(at: Self.at(-0.001)) == nil)
        #expect(ChannelSchedule(items: []).cue(at: Self.t0) == nil)
    }

    @Test("an item plays from its start until the next item's start")
    func itemsInTurn() throws {
        let first = try #require(Self.schedule.cue(at: Self.at(0)))
        #expect(first.index == 0 && first.elapsedMilliseconds == 0 && first.endsAt == Self.at(60))
        let late = try #require(Self.schedule.cue(at: Self.at(59.999)))
        #expect(late.index == 0 && late.elapsedMilliseconds == 59_999)
        let second = try #require(Self.schedule.cue(at: Self.at(60)))
        #expect(second.index == 1 && second.item.path == "b.mp4" && second.elapsedMilliseconds == 0)
    }

    @Test("the last item plays on until the schedule changes")
    func lastItemLoops() throws {
        let cue = try #require(Self.schedule.cue(at: Self.at(86_400)))
        #expect(cue.index == 1 && cue.endsAt == nil && cue.elapsedMilliseconds == 86_340_000)
    }

    @Test("a shorter file loops: the offset is the time since the item's start modulo its duration")
    func offsetLoops() throws {
        let cue = try #require(Self.schedule.cue(at: Self.at(25.5)))
        #expect(cue.offsetMilliseconds(inFileOf: 10_000) == 5_500)
        #expect(cue.offsetMilliseconds(inFileOf: 30_000) == 25_500)
        #expect(cue.offsetMilliseconds(inFileOf: 25_500) == 0)
        #expect(cue.offsetMilliseconds(inFileOf: 0) == 0, "a file of unknown duration starts at its start")
    }

    @Test("paths leaving the media directory, bad start orders and too many items are refused, naming the field", arguments: Backend.allCases)
    func validation(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let orgs = try await TwoOrganisations.make(in: store)
            let channel = try await store.createChannel(organisation: orgs.a.id, NewChannel(name: "tv"), scope: orgs.scopeA)
            func field(_ items: [ScheduleItem]) async -> String? {
                guard case .invalid(let field, _)? = await controlError({
                    _ = try await store.replaceSchedule(channel: channel.id, items, scope: orgs.scopeA)
                }) else { return nil }
                return field
            }
            for path in ["../a.mp4", "/etc/passwd", "x/../../a.mp4", "", "a\u{0}.mp4", String(repeating: "p", count: 1_025)] {
                #expect(await field([ScheduleItem(path: path, startsAt: Self.t0)]) == "items[0].path", "\(path)")
            }
            let same = [ScheduleItem(path: "a.mp4", startsAt: Self.t0), ScheduleItem(path: "b.mp4", startsAt: Self.t0)]
            #expect(await field(same) == "items[1].startsAt")
            let backwards = [ScheduleItem(path: "a.mp4", startsAt: Self.at(10)), ScheduleItem(path: "b.mp4", startsAt: Self.at(5))]
            #expect(await field(backwards) == "items[1].startsAt")
            let many = (0...ControlLimits.scheduleItems).map { ScheduleItem(path: "a.mp4", startsAt: Self.at(Double($0))) }
            #expect(await field(many) == "items")
            #expect(try await store.schedule(channel: channel.id, scope: orgs.scopeA).items.isEmpty, "nothing refused was stored")
        }
    }

    @Test("a schedule is stored, read back in order, scoped to its organisation, and cleared", arguments: Backend.allCases)
    func roundTrip(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let orgs = try await TwoOrganisations.make(in: store)
            let channel = try await store.createChannel(organisation: orgs.a.id, NewChannel(name: "tv"), scope: orgs.scopeA)
            let items = [ScheduleItem(path: "promo/a.mp4", startsAt: Self.at(0.25)), ScheduleItem(path: "b.mp4", startsAt: Self.at(60))]
            _ = try await store.replaceSchedule(channel: channel.id, items, scope: orgs.scopeA)
            #expect(try await store.schedule(channel: channel.id, scope: orgs.scopeA).items == items)
            #expect(try await store.channelsToPlay() == [PlayoutChannel(channelID: channel.id, channelName: "tv", schedule: ChannelSchedule(items: items), slate: nil)])
            #expect(await controlError { _ = try await store.schedule(channel: channel.id, scope: orgs.scopeB) } == .notFound("channel"))
            #expect(await controlError { try await store.clearSchedule(channel: channel.id, scope: orgs.scopeB) } == .notFound("channel"))
            try await store.clearSchedule(channel: channel.id, scope: orgs.scopeA)
            #expect(try await store.channelsToPlay().isEmpty)
        }
    }

    @Test("the media directory resolves files inside it and refuses paths and links that leave it")
    func mediaLibrary() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("media-\(UUID().uuidString)")
        let root = base.appendingPathComponent("media")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("promo"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        try Data("x".utf8).write(to: root.appendingPathComponent("promo/a.mp4"))
        try Data("x".utf8).write(to: base.appendingPathComponent("outside.mp4"))
        try FileManager.default.createSymbolicLink(
            at: root.appendingPathComponent("link.mp4"), withDestinationURL: base.appendingPathComponent("outside.mp4"))
        let library = MediaLibrary(root: root.path)
        #expect(try library.resolve("promo/a.mp4").hasSuffix("/media/promo/a.mp4"))
        for path in ["../outside.mp4", base.appendingPathComponent("outside.mp4").path, "link.mp4", "missing.mp4", "promo"] {
            #expect(throws: ControlError.self, "\(path)") { _ = try library.resolve(path) }
        }
    }
}
