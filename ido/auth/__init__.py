from ido.auth import password_views, profile  # noqa: F401  (they add their routes to bp)
from ido.auth.views import bp

__all__ = ["bp"]
