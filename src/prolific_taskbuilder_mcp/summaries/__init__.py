"""Pure functions: Prolific API models -> result models and compact text. No I/O, no MCP."""
