import ConnectorCLI
import JSONLinesDestination

// The whole `connector` command line, with one more destination type: `type: jsonl_lines`.
await Connector.start(destinations: [JSONLinesDestinationFactory()])
