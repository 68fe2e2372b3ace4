"""The committee brief for the Mesa Técnica: one self-contained HTML page (and its PDF)."""
