"""The visitor's briefcase: materials, saved contacts and shared contacts, in one folder with an index."""

from expo_hall.briefcase.model import KINDS, Briefcase, Item

__all__ = ["KINDS", "Briefcase", "Item"]
