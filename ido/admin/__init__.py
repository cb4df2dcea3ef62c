from . import branches, categories, libraries, people  # noqa: F401  (they add their routes to bp)
from .views import bp

__all__ = ["bp"]
