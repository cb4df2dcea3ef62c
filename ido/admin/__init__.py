from ido.admin import (  # noqa: F401  (they add their routes to bp)
    activities,
    branches,
    categories,
    contacts,
    devices,
    libraries,
    national_form,
    people,
    work_accounts,
)
from ido.admin.views import bp

__all__ = ["bp"]
