"""Identifying data about a child or family: the one detector, the audited children's names kept as
keyed hashes, the guard on everything that leaves the machine, and removal everywhere."""
