from . import branches, categories, devices, libraries, people  # noqa: F401  (they add their routes to bp)
from .views import bp

__all__ = ["bp"]
