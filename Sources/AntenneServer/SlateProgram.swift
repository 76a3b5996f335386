import Channels
import Control
import Foundation

/// What one channel's slate player plays now: a scheduled file while the channel's schedule has
/// started, else its slate, published with the channel's slate key. A change of program (the
/// next item's start, a schedule or slate changed) restarts the player's FFmpeg, so the slate
/// input's publish ends and a new one begins: a discontinuity for players.
struct SlateProgram: Hashable {
    enum Content: Hashable {
        case slate(Slate.Source)
        /// The schedule's item at `index`, from its start.
        case scheduled(index: Int, item: ScheduleItem)
    }

    let content: Content
    let streamKey: String
    /// It stops once no live input has fed the channel this long; nil: played until the
    /// program changes.
    let timeout: Duration?

    /// The program at `time`: the scheduled item playing then, else the slate, else nothing.
    static func at(_ time: Date, slate: Slate?, scheduled: PlayoutBoard.Entry?) -> SlateProgram? {
        if let scheduled, let cue = scheduled.schedule.cue(at: time) {
            return SlateProgram(content: .scheduled(index: cue.index, item: cue.item), streamKey: scheduled.streamKey, timeout: nil)
        }
        return slate.map { SlateProgram(content: .slate($0.source), streamKey: $0.streamKey, timeout: $0.timeout) }
    }

    /// How it is logged.
    var summary: String {
        switch content {
        case .slate: "slate"
        case .scheduled(let index, let item): "schedule item \(index) (\(item.path))"
        }
    }
}
