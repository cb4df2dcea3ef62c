from . import profile  # noqa: F401  (registers the profile routes on bp)
from .views import bp

__all__ = ["bp"]
