"""The five partnerships of the regional tests: built by ``benchmarks.regional_rounds`` (the
benchmark collates the same partnerships, larger)."""

from benchmarks.regional_rounds import (  # noqa: F401
    LABEL, PartnershipPlan, build_partnership, export_for_region, five_partnerships,
)
