"""The web screens: server-rendered pages over the live API, one module per screen."""
