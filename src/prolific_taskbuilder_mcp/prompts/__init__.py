"""Prompts: ready-made requests that tell the assistant which tools to use for a common question. One module per
family, like the tools."""
