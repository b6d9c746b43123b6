"""Floors: the model, Tiled loading, navigation and hit-testing (plain Python), and their views."""
