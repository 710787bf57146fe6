"""MCP prompts (none yet: the read-surface issue adds them)."""
