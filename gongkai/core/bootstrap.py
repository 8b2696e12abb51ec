"""Start Django for the command line: the one place that knows the settings module.

Both the `gongkai` command (gongkai/cli.py) and every app's command group
(gongkai/<app>/cli.py) call ``setup_django()`` before importing models, so the apps' groups
never import gongkai.cli (which imports them).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if str(BASE_DIR) not in sys.path:
        sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
