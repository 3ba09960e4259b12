"""Accuracy evaluation against hand counts (line crossings, zone events) on real footage."""
