import NIOCore

extension RTMPServerSession {
    /// NetConnection and NetStream commands (RTMP spec §7.2.1, §7.2.2) and the FMS extensions
    /// encoders send (`releaseStream`, `FCPublish`, `FCUnpublish`).
    mutating func receive(_ command: RTMPCommand, messageStreamID: UInt32) -> Action {
        switch command.name {
        case "connect":
            return connect(command)
        case "releaseStream":
            return .send([result(command)])
        case "FCPublish":
            let name = command.arguments.first?.stringValue ?? ""
            return .send([
                result(command),
                Self.status(command: "onFCPublish", code: "NetStream.Publish.Start", description: name, messageStreamID: 0),
            ])
        case "createStream":
            guard state != .waitingForConnect else { return .none }
            let id = nextStreamID
            nextStreamID += 1
            return .send([RTMPCommand(name: "_result", transactionID: command.transactionID, arguments: [.number(Double(id))]).message()])
        case "publish":
            return publish(command, messageStreamID: messageStreamID)
        case "FCUnpublish", "closeStream", "deleteStream":
            return unpublish(command, messageStreamID: messageStreamID)
        case "play", "play2":
            let streamID = messageStreamID
            return .close([
                Self.status(level: "error", code: "NetStream.Play.Failed", description: "Playback is served over HTTP.", messageStreamID: streamID),
            ], reason: .playRefused)
        default:
            // _checkbw, getStreamLength, ... need no answer from a publishing endpoint.
            return .none
        }
    }

    /// `connect` (§7.2.1.1): only the configured application is accepted.
    private mutating func connect(_ command: RTMPCommand) -> Action {
        var application = command.commandObject["app"]?.stringValue ?? ""
        if let query = application.firstIndex(of: "?") { application = String(application[..<query]) }
        while application.hasSuffix("/") { application.removeLast() }
        guard state == .waitingForConnect, application == configuration.application else {
            state = .closed
            let error = RTMPCommand(name: "_error", transactionID: command.transactionID, arguments: [
                .object([
                    AMF0Property("level", .string("error")),
                    AMF0Property("code", .string("NetConnection.Connect.Rejected")),
                    AMF0Property("description", .string("Connection rejected: unknown application.")),
                ]),
            ])
            return .close([error.message()], reason: .connectRejected(application: application))
        }
        state = .connected
        let reply = RTMPCommand(
            name: "_result", transactionID: command.transactionID,
            commandObject: .object([
                AMF0Property("fmsVer", .string("FMS/3,0,1,123")),
                AMF0Property("capabilities", .number(31)),
            ]),
            arguments: [
                .object([
                    AMF0Property("level", .string("status")),
                    AMF0Property("code", .string("NetConnection.Connect.Success")),
                    AMF0Property("description", .string("Connection succeeded.")),
                    AMF0Property("objectEncoding", .number(0)),
                ]),
            ]
        )
        return .send([
            RTMPControlMessage.windowAcknowledgementSize(configuration.windowAcknowledgementSize).message,
            RTMPControlMessage.setPeerBandwidth(configuration.peerBandwidth, limitType: RTMPControlMessage.dynamicLimit).message,
            RTMPControlMessage.setChunkSize(configuration.outboundChunkSize).message,
            reply.message(),
        ])
    }

    /// `publish` (§7.2.2.6): asks the owner to authorize the stream key, without its query string.
    private mutating func publish(_ command: RTMPCommand, messageStreamID: UInt32) -> Action {
        var key = command.arguments.first?.stringValue ?? ""
        if let query = key.firstIndex(of: "?") { key = String(key[..<query]) }
        guard state == .connected, !key.isEmpty else {
            state = .closed
            return .close([
                Self.status(level: "error", code: "NetStream.Publish.BadName", description: "Invalid stream name.", messageStreamID: messageStreamID),
            ], reason: .invalidPublishName)
        }
        state = .authorizing(streamID: messageStreamID)
        return .authorizePublish(streamKey: key)
    }

    /// The owner accepted the stream key and holds the channel.
    public mutating func publishAccepted() -> Action {
        guard case .authorizing(let streamID) = state else { return .none }
        state = .publishing(streamID: streamID)
        return .send([
            RTMPControlMessage.userControl(.streamBegin(streamID: streamID)).message,
            Self.status(level: "status", code: "NetStream.Publish.Start", description: "Publishing.", messageStreamID: streamID),
        ])
    }

    /// The owner refused the publish; the connection is closed after the error status.
    public mutating func publishRefused(_ refusal: PublishRefusal) -> Action {
        guard case .authorizing(let streamID) = state else { return .none }
        state = .closed
        let (code, description) = switch refusal {
        case .unknownStreamKey: ("NetStream.Publish.BadName", "Unknown stream key.")
        case .alreadyPublishing: ("NetStream.Publish.BadName", "Already publishing.")
        case .serverStopping: ("NetStream.Publish.Rejected", "The server is stopping: publish to another one.")
        }
        return .close([
            Self.status(level: "error", code: code, description: description, messageStreamID: streamID),
        ], reason: .publishRefused(refusal))
    }

    private mutating func unpublish(_ command: RTMPCommand, messageStreamID: UInt32) -> Action {
        switch state {
        case .publishing(let streamID):
            state = .connected
            var replies: [RTMPMessage] = []
            if command.name == "FCUnpublish" {
                replies.append(Self.status(command: "onFCUnpublish", code: "NetStream.Unpublish.Success", description: "", messageStreamID: 0))
            } else if command.name == "closeStream" {
                replies.append(Self.status(level: "status", code: "NetStream.Unpublish.Success", description: "Stopped publishing.", messageStreamID: streamID))
            }
            return .endPublish(replies)
        case .authorizing:
            // The answer is still pending; the publish is abandoned when it comes back.
            state = .connected
            return .none
        default:
            return .none
        }
    }

    private func result(_ command: RTMPCommand) -> RTMPMessage {
        RTMPCommand(name: "_result", transactionID: command.transactionID, arguments: [.undefined]).message()
    }

    /// An `onStatus` command (§7.2.2) with an info object.
    static func status(command: String = "onStatus", level: String = "status", code: String, description: String, messageStreamID: UInt32) -> RTMPMessage {
        RTMPCommand(name: command, transactionID: 0, arguments: [
            .object([
                AMF0Property("level", .string(level)),
                AMF0Property("code", .string(code)),
                AMF0Property("description", .string(description)),
            ]),
        ]).message(chunkStreamID: RTMPChunkStreamID.streamCommand, messageStreamID: messageStreamID)
    }
}
