"""Settings for the test suite: the real settings with test-only switches."""

import os

os.environ["STEWARD_TESTING"] = "1"

from steward.settings import *  # noqa: E402, F403

# Receipt-code hashing at the cheapest Argon2id cost: the real cost is measured in bench/.
RECEIPT_ARGON2_TIME_COST = 1
RECEIPT_ARGON2_MEMORY_KIB = 8
