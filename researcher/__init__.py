"""researcher: a terminal notebook for researching the companies you want to work for."""

__version__ = "0.1.0"
