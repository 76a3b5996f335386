import ArgumentParser

public struct AntenneCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "antenne", abstract: "Antenne live video server.")
    public init() {}
    public func run() async throws {}
}
