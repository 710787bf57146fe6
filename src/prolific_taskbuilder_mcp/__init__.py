"""MCP server for Prolific's AI Task Builder API."""

__version__ = "0.1.0"
