import ArgumentParser

public struct AntenneCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "antenne",
        abstract: "Antenne: RTMP in, low-latency HLS out, in one binary.",
        subcommands: [ServeCommand.self, EdgeCommand.self, TestSourceCommand.self, SignURLCommand.self, ChannelCommand.self, TokenCommand.self],
        defaultSubcommand: ServeCommand.self
    )

    public init() {}
}
