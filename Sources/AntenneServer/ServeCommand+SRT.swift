import ArgumentParser
import SRTIngest

extension ServeCommand {
    /// `--srt-port` and the file's `srtPort` and `srtLatency`.
    func applySRT(file: ConfigFile, to config: inout ServerConfiguration) throws {
        config.srtPort = srtPort ?? file.srtPort ?? config.srtPort
        if let text = file.srtLatency?.text {
            config.srtLatency = .milliseconds(try Self.srtLatencyMilliseconds(text))
        }
    }

    /// `--srt-pull NAME=URL` and the channel entries' `srtPull`: the flag wins for its channel.
    func applySRTPulls(file: ConfigFile, to config: inout ServerConfiguration) throws {
        let fromFile = (file.channels ?? []).compactMap { entry in entry.srtPull.map { "\(entry.name)=\($0)" } }
        for (index, text) in try Self.pairs(fromFile + srtPull, flag: "--srt-pull", value: "URL", separator: "=", in: config) {
            do {
                config.channels[index].srtPull = try SRTPullURL(parsing: text)
            } catch {
                throw ValidationError("the SRT pull of channel '\(config.channels[index].name)': \(error)")
            }
        }
    }

    /// A channel entry's `srtPassphrase` and `srtLatency`.
    static func srtOptions(_ entry: ConfigFile.ChannelEntry) throws -> SRTChannelOptions {
        if let passphrase = entry.srtPassphrase {
            guard SRTChannelOptions.passphraseLength.contains(passphrase.utf8.count) else {
                throw ValidationError("the srtPassphrase of channel '\(entry.name)' must be 10 to 79 characters (SRT's limit)")
            }
        }
        return SRTChannelOptions(passphrase: entry.srtPassphrase, latencyMilliseconds: try entry.srtLatency.map { try srtLatencyMilliseconds($0.text) })
    }

    private static func srtLatencyMilliseconds(_ text: String) throws -> Int {
        guard let latency = Seconds.parse(text), SRTChannelOptions.latencyRange.contains(Int(latency.ticks)) else {
            throw ValidationError("srtLatency wants seconds from 0.001 to 60, e.g. 0.2")
        }
        return Int(latency.ticks)
    }
}
