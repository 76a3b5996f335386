extension TSDemuxer {
    /// Packets of an SCTE-35 PID: continuity, section reassembly, then the splice_info_section.
    /// A section that cannot be used (bad CRC, truncated, encrypted, over the size limit, another
    /// table) is counted in `statistics.invalidSpliceSections` and dropped: a bad cue never ends
    /// the stream.
    mutating func handleSplice(_ packet: TSPacket, stream i: Int, into out: inout [Output]) {
        switch spliceStreams[i].continuity.check(packet) {
        case .duplicate:
            statistics.duplicatePackets += 1
            return
        case .discontinuity:
            statistics.continuityErrors += 1
            spliceStreams[i].assembler.reset()
        case .inOrder:
            break
        }
        guard packet.hasPayload else { return }
        guard packet.scrambling == 0 else {
            statistics.scrambledPackets += 1
            spliceStreams[i].assembler.reset()
            return
        }
        let sections: [[UInt8]]
        do {
            sections = try spliceStreams[i].assembler.push(packet.payload, unitStart: packet.payloadUnitStart)
        } catch {
            dropSplice(error)
            return
        }
        for raw in sections {
            do {
                let splice = try SpliceInfoSection(parsing: raw)
                // The cue's time on the program clock, as samples are unwrapped, without moving it.
                let time = splice.spliceTime.map { clock.nearest($0) - timestampOffset }
                out.append(.spliceInfo(splice, pid: spliceStreams[i].pid, time: time))
                statistics.spliceSections += 1
            } catch {
                dropSplice(error)
            }
        }
    }

    private mutating func dropSplice(_ error: ContainersError) {
        statistics.invalidSpliceSections += 1
        statistics.lastDropReason = error
    }
}
