from ido.reports import activities, quiet  # noqa: F401  (add their routes to bp)
from ido.reports.views import bp

__all__ = ["bp"]
