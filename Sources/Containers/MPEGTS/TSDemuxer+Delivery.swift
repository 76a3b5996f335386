import MediaCore

extension TSDemuxer {
    /// Elementary stream packets: continuity, PES reassembly, then the codec.
    mutating func handleElementary(_ packet: TSPacket, stream i: Int, into out: inout [Output]) throws(ContainersError) {
        switch streams[i].continuity.check(packet) {
        case .duplicate:
            statistics.duplicatePackets += 1
            return
        case .discontinuity:
            statistics.continuityErrors += 1
            if streams[i].pes.abort() { dropPES(.invalid(what: streams[i].what, reason: "continuity counter jump inside a PES")) }
        case .inOrder:
            break
        }
        guard packet.hasPayload else { return }
        guard packet.scrambling == 0 else {
            statistics.scrambledPackets += 1
            if streams[i].pes.abort() { dropPES(.unsupported(what: streams[i].what, reason: "scrambled payload")) }
            return
        }
        for event in streams[i].pes.push(packet.payload, unitStart: packet.payloadUnitStart, maxSize: limits.maxPESSize) {
            try handlePES(event, stream: i, into: &out)
        }
    }

    mutating func handlePES(_ event: PESAssembler.Event, stream i: Int, into out: inout [Output]) throws(ContainersError) {
        switch event {
        case .dropped(let error):
            dropPES(error)
        case .complete(let bytes):
            let events = try streams[i].process(pes: bytes, clock: &clock, timestampOffset: timestampOffset, limits: limits)
            for event in events { apply(event, stream: i, into: &out) }
        }
    }

    private mutating func apply(_ event: TSElementaryStream.Event, stream i: Int, into out: inout [Output]) {
        switch event {
        case .track(var info):
            info.language = streams[i].language
            streams[i].track = info
            // Held samples of this stream belong to its previous configuration.
            let pid = streams[i].pid
            let before = held.count
            held.removeAll { $0.pid == pid }
            if held.count != before {
                statistics.droppedSamples += before - held.count
                heldBytes = held.reduce(0) { $0 + $1.sample.data.readableBytes }
            }
        case .sample(let sample):
            deliver(sample, stream: i, into: &out)
        case .droppedPES(let error):
            dropPES(error)
        case .droppedSample(let error):
            statistics.droppedSamples += 1
            statistics.lastDropReason = error
        }
    }

    /// Delivers a sample when every stream is configured (announcing the list first when it
    /// changed, then releasing held samples), else holds it within `maxPendingBytes`.
    private mutating func deliver(_ sample: Sample, stream i: Int, into out: inout [Output]) {
        var current: [TSTrack] = []
        for stream in streams {
            guard let info = stream.track else {
                hold(sample, pid: streams[i].pid)
                return
            }
            current.append(TSTrack(pid: stream.pid, info: info))
        }
        if current != announced {
            out.append(.tracks(current))
            announced = current
        }
        for (pid, heldSample) in held {
            if let index = streams.firstIndex(where: { $0.pid == pid }) {
                out.append(.sample(track: index, heldSample))
                statistics.samples += 1
            } else {
                statistics.droppedSamples += 1
            }
        }
        held = []
        heldBytes = 0
        out.append(.sample(track: i, sample))
        statistics.samples += 1
    }

    private mutating func hold(_ sample: Sample, pid: UInt16) {
        held.append((pid, sample))
        heldBytes += sample.data.readableBytes
        while heldBytes > limits.maxPendingBytes, !held.isEmpty {
            let oldest = held.removeFirst()
            heldBytes -= oldest.sample.data.readableBytes
            statistics.droppedSamples += 1
            statistics.lastDropReason = .limitExceeded(what: "samples held until every stream is configured",
                                                        value: heldBytes + oldest.sample.data.readableBytes, limit: limits.maxPendingBytes)
        }
    }

    mutating func dropPES(_ error: ContainersError) {
        statistics.droppedPES += 1
        statistics.lastDropReason = error
    }
}
