from ido.api import activities  # noqa: F401  (adds its routes to bp)
from ido.api.views import bp

__all__ = ["bp"]
