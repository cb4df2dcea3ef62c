from ido.api.views import bp

__all__ = ["bp"]
