"""Settings for the test suite: the real settings with test-only switches."""

import os

os.environ["STEWARD_TESTING"] = "1"

from steward.settings import *  # noqa: E402, F403
