from ido.reports import activities  # noqa: F401  (adds its routes to bp)
from ido.reports.views import bp

__all__ = ["bp"]
