import MediaCore

extension TSDemuxer {
    /// Routes one packet: PAT, the followed program's PMT, one of its elementary streams or
    /// SCTE-35 cue streams, or nothing (null packets, SDT, streams of unknown type, other programs).
    mutating func handle(_ raw: [UInt8], into out: inout [Output]) throws(ContainersError) {
        statistics.packets += 1
        let packet: TSPacket
        do {
            packet = try TSPacket(raw)
        } catch {
            statistics.malformedPackets += 1
            statistics.lastDropReason = error
            return
        }
        if packet.transportError {
            statistics.transportErrors += 1
            return
        }
        if packet.pid == TS.nullPID {
            statistics.nullPackets += 1
            return
        }
        if packet.pid == TS.patPID {
            try handleTable(packet, isPAT: true)
        } else if let program, packet.pid == program.pmtPID {
            try handleTable(packet, isPAT: false)
        } else if let index = streams.firstIndex(where: { $0.pid == packet.pid }) {
            try handleElementary(packet, stream: index, into: &out)
        } else if let index = spliceStreams.firstIndex(where: { $0.pid == packet.pid }) {
            handleSplice(packet, stream: index, into: &out)
        }
    }

    /// PAT or PMT packets: continuity, section reassembly, CRC, then the table.
    private mutating func handleTable(_ packet: TSPacket, isPAT: Bool) throws(ContainersError) {
        let verdict = isPAT ? patContinuity.check(packet) : pmtContinuity.check(packet)
        switch verdict {
        case .duplicate:
            statistics.duplicatePackets += 1
            return
        case .discontinuity:
            statistics.continuityErrors += 1
            if isPAT { patAssembler.reset() } else { pmtAssembler.reset() }
        case .inOrder:
            break
        }
        guard packet.hasPayload else { return }
        guard packet.scrambling == 0 else {
            statistics.scrambledPackets += 1
            return
        }
        let sections = isPAT ? try patAssembler.push(packet.payload, unitStart: packet.payloadUnitStart)
                             : try pmtAssembler.push(packet.payload, unitStart: packet.payloadUnitStart)
        for raw in sections {
            guard PSISection.hasValidCRC(raw) else {
                statistics.psiErrors += 1
                statistics.lastDropReason = .invalid(what: isPAT ? "PAT" : "PMT", reason: "CRC_32 mismatch")
                continue
            }
            let section = try PSISection(parsing: raw, what: isPAT ? "PAT" : "PMT")
            // Sections not yet applicable, and other tables sharing the PID, are not ours.
            guard section.currentNext else { continue }
            if isPAT, section.tableID == ProgramAssociationTable.tableID {
                try applyPAT(ProgramAssociationTable(section))
            } else if !isPAT, section.tableID == ProgramMapTable.tableID, section.tableIDExtension == program?.number {
                try applyPMT(ProgramMapTable(section, maxStreams: limits.maxElementaryStreams))
            }
        }
    }

    /// Follows the first program. A new PMT PID waits for its PMT; the streams stay until then.
    private mutating func applyPAT(_ pat: ProgramAssociationTable) {
        guard let first = pat.firstProgram, first != program else { return }
        program = first
        pmt = nil
        pmtAssembler.reset()
        pmtContinuity.reset()
    }

    /// Rebuilds the stream list when the PMT changes. Streams that keep their PID and type keep
    /// their state; the new list is announced with the next sample once every stream is configured.
    private mutating func applyPMT(_ table: ProgramMapTable) {
        guard table != pmt else { return }
        pmt = table
        var next: [TSElementaryStream] = []
        for entry in table.streams {
            guard let type = TSStreamType(entry), !next.contains(where: { $0.pid == entry.pid }) else { continue }
            var stream = streams.first { $0.pid == entry.pid && $0.streamType == type } ?? TSElementaryStream(pid: entry.pid, streamType: type)
            // A language given or changed by a new PMT version comes out with the next `.tracks`.
            stream.language = type.codec.mediaType == .audio ? TSDescriptor.language(entry.descriptors) : nil
            stream.track?.language = stream.language
            next.append(stream)
        }
        for stream in streams where !next.contains(where: { $0.pid == stream.pid && $0.streamType == stream.streamType }) {
            if stream.pes.isActive { dropPES(.invalid(what: stream.what, reason: "stream left the PMT")) }
        }
        streams = next
        spliceStreams = table.streams.filter { $0.streamType == TSSpliceStream.streamType }.map { entry in
            spliceStreams.first { $0.pid == entry.pid } ?? TSSpliceStream(pid: entry.pid)
        }
    }
}
