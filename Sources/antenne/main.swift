import AntenneServer

await AntenneCommand.main()
