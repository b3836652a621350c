"""The static template gallery: every scenario, its platform advice and every draft, browsable offline."""
