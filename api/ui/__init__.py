"""The moderator web UI: server-rendered pages, a little plain JS, a signed session cookie."""
