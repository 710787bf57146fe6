"""The read layer: one module per family (batches, datasets, collections, account) of plain async functions.

Each takes the Prolific client (and a progress callback and clock where it waits), returns summary models and
raises the client's own errors (`ProlificError`) or `ReadError`. Nothing here knows MCP: tools and resources are
thin siblings above it, and `boundary.py` turns failures into their errors.
"""
