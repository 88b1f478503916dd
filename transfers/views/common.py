"""What the rule pages and the request pages share: the page size and the staff-only decorator."""

from registry.access import is_provincial_staff, role_required

PAGE_SIZE = 50
staff_required = role_required(is_provincial_staff)
