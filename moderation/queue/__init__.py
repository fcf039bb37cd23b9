"""Asynchronous scoring over Redis Streams: key names, stream operations, the worker, dead letters, events.

Importing this package does not load torch; the worker loads the model when it starts.
"""
