"""MCP tools, one module per resource family. Each module exposes `register(server)`."""
