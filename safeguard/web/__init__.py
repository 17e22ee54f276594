"""The web app: server-rendered pages for social workers, managers and analysts."""
