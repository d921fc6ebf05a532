"""``python -m lgf_desktop``: the same as ``lgf-desktop``."""

import sys

from .ui.app import main

sys.exit(main())
