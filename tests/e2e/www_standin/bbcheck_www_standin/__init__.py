"""The `base` www plugin with a static page instead of Buildbot's web UI."""
from buildbot.www.plugin import Application

ep = Application(__name__, "bbcheck test stand-in for buildbot-www (no UI)")
