"""The bundle's ``lgf`` program: the command line (what ``lgf`` runs in a development install)."""

import sys

from lgf_desktop.cli import main

sys.exit(main())
