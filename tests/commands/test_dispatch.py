"""`expo-hall WORD ...` runs the subcommand of that name; an unknown word is named, with the commands there are."""

from __future__ import annotations

import subprocess
import sys


def test_an_unknown_command_is_named_and_nothing_opens():
    done = subprocess.run([sys.executable, "-m", "expo_hall", "chekc"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "no command 'chekc'" in done.stderr and "Traceback" not in done.stderr
