import ConnectorCLI

// The whole command line lives in ConnectorCLI, so packages that add destinations can run the same tool.
await Connector.start()
