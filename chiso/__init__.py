"""chiso — turn a province's Party Congress resolution into a live monitoring system."""

__version__ = "0.1.0"
