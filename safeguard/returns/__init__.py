"""Statutory returns: the CIN census, SSDA903 and Annex A, read, written and validated."""
