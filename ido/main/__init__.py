from ido.main.views import bp

__all__ = ["bp"]
