"""Section 11 rounds and their peer reviews: the question template, the panel, the live workshop,
responses and their earlier versions, the report's numbering and panel members' notes."""
