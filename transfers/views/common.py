"""What the rule pages and the request pages share: the staff-only decorator."""

from registry.access import is_provincial_staff, role_required

staff_required = role_required(is_provincial_staff)
