"""Django admin for the core app.

The audit chain and the event outbox register theirs in their own modules,
imported here; other core models are registered below.
"""

from egov.core import admin_audit, admin_outbox  # noqa: F401  registers their ModelAdmins
