"""The communication plan's targets and how they are judged."""
