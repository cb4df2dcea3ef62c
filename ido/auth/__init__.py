from ido.auth import password_views, profile  # noqa: F401  (they add their routes to bp)
from ido.auth import work_account  # noqa: F401  (its routes on bp)
from ido.auth.views import bp

__all__ = ["bp"]
