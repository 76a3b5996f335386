import ArgumentParser

/// `--p2p CHANNEL`, `--stun-port` and `--ice-server`: peer-assisted delivery (issue 17).
struct P2POptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Turn peer-assisted delivery on for this channel (repeatable; off by default: viewers see each other's addresses). The file's channels say \"p2p\": true.",
        valueName: "CHANNEL"))
    var p2p: [String] = []

    @Option(name: .long, help: "UDP port of the built-in STUN responder for P2P players (default 0: off).")
    var stunPort: Int?

    @Option(name: .long, help: ArgumentHelp(
        "A STUN or TURN server P2P players use (stun:HOST:PORT, turn:HOST:PORT); repeatable. Default: the file's iceServers.",
        valueName: "URL"))
    var iceServer: [String] = []

    /// The flags over the file's `stunPort`, `iceServers` and channels' `p2p`.
    func apply(file: ConfigFile, to config: inout ServerConfiguration) throws {
        config.stunPort = stunPort ?? file.stunPort ?? config.stunPort
        guard (0...65535).contains(config.stunPort) else { throw ValidationError("--stun-port is a UDP port, 0 for off") }
        config.iceServers = iceServer.isEmpty ? file.iceServers ?? [] : iceServer
        for server in config.iceServers where !(server.hasPrefix("stun:") || server.hasPrefix("turn:") || server.hasPrefix("turns:")) {
            throw ValidationError("an ICE server is a stun:, turn: or turns: URL, got '\(server)'")
        }
        for name in p2p {
            guard let index = config.channels.firstIndex(where: { $0.name == name }) else {
                throw ValidationError("--p2p names channel '\(name)', which is not configured")
            }
            config.channels[index].p2p = true
        }
    }
}
