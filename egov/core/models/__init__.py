"""Core models, one module per family."""

from egov.core.models.apikeys import ApiKey, ExternalSystem
from egov.core.models.audit import AuditCheckpoint, AuditEntry
from egov.core.models.calendar import CalendarDay
from egov.core.models.events import DeadLetter, Delivery, Event, SubscriberPosition
from egov.core.models.organisations import Organisation
from egov.core.models.people import PublicAccount, RoleAssignment, StaffProfile, User
from egov.core.models.ratelimit import RateCounter
from egov.core.models.regions import Region
from egov.core.models.security import SecurityEvent

__all__ = [
    "ApiKey",
    "AuditCheckpoint",
    "AuditEntry",
    "CalendarDay",
    "DeadLetter",
    "Delivery",
    "Event",
    "ExternalSystem",
    "Organisation",
    "PublicAccount",
    "RateCounter",
    "Region",
    "RoleAssignment",
    "SecurityEvent",
    "StaffProfile",
    "SubscriberPosition",
    "User",
]
