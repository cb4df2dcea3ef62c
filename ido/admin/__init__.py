from ido.admin import branches, categories, devices, libraries, national_form, people, work_accounts  # noqa: F401  (they add their routes to bp)
from ido.admin.views import bp

__all__ = ["bp"]
