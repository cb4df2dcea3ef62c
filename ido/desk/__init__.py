from ido.desk.views import bp

__all__ = ["bp"]
