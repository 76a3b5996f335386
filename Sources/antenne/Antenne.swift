import AntenneServer
import ArgumentParser

@main
enum Antenne {
    static func main() async {
        let command: any AsyncParsableCommand.Type = AntenneCommand.self
        await command.main()
    }
}
