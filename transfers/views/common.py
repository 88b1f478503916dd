"""What the rule pages and the request pages share: the page size (registry's) and the staff-only decorator."""

from registry.access import is_provincial_staff, role_required
from registry.selectors import PAGE_SIZE  # noqa: F401  (the lists' page size, the same in every app)

staff_required = role_required(is_provincial_staff)
