"""The show process."""
