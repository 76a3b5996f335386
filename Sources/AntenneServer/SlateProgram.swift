import Channels
import Control
import Foundation

/// What one channel's slate player plays now: a scheduled file while the channel's schedule has
/// started, else its slate, published with the channel's slate key. A change of program (the
/// next item's start, a schedule or slate changed) restarts the player's FFmpeg, so the slate
/// input's publish ends and a new one begins: a discontinuity for players.
struct SlateProgram: Hashable {
    enum Content: Hashable {
        case slate(ChannelSlate)
        /// The schedule's item at `index`, from its start.
        case scheduled(index: Int, item: ScheduleItem)
    }

    let content: Content
    let streamKey: String

    /// The program at `time`: the scheduled item playing then, else the slate, else nothing.
    static func at(_ time: Date, _ entry: PlayoutBoard.Entry) -> SlateProgram? {
        if let cue = entry.schedule.cue(at: time) {
            return SlateProgram(content: .scheduled(index: cue.index, item: cue.item), streamKey: entry.streamKey)
        }
        return entry.slate.map { SlateProgram(content: .slate($0), streamKey: entry.streamKey) }
    }

    /// It stops once no live input has fed the channel this long; nil: played until the
    /// program changes.
    var timeout: Duration? {
        switch content {
        case .slate(let slate): slate.timeoutSeconds.map { .seconds($0) }
        case .scheduled: nil
        }
    }

    /// How it is logged.
    var summary: String {
        switch content {
        case .slate(let slate): "slate (\(slate.source.rawValue))"
        case .scheduled(let index, let item): "schedule item \(index) (\(item.path))"
        }
    }
}
