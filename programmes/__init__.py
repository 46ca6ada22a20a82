"""The cooperation menu, the four-year programmes, their workflow and reports (later issues)."""
