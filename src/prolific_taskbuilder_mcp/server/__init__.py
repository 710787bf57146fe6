"""Server assembly and transports."""

from ..context import AppContext
from .app import ProlificMCPServer, create_server

__all__ = ["AppContext", "ProlificMCPServer", "create_server"]
