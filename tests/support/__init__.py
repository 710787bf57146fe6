"""Test support shared by the layers: a fake clock, the simulator in-process, subprocesses of the real command."""
