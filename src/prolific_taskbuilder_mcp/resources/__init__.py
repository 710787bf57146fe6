"""Resource templates: the same summaries the tools return, as JSON documents an app can attach.

One module per family, like the tools. Ids are validated before any request; a failure is a JSON-RPC error
whose message says what to do.
"""
