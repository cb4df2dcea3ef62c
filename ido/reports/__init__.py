from ido.reports.views import bp

__all__ = ["bp"]
