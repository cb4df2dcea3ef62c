from ido.auth import (  # noqa: F401  (they add their routes to bp)
    password_views,
    profile,
    two_factor,
    two_factor_profile,
    work_account,  # noqa: F401  (its routes on bp)
)
from ido.auth.views import bp

__all__ = ["bp"]
