"""The bundle's ``lgf-desktop`` program: the window (what ``lgf-desktop`` runs in a development install)."""

import sys

from lgf_desktop.ui.app import main

sys.exit(main())
