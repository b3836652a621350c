"""The engine: catalogue, normaliser, classifier, slots, packs and draft assembly.

Pure and deterministic; imports nothing from the transports.
"""
