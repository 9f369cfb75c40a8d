"""Pages of API lists (分页): one bounded limit/offset pagination for every app.

``limit`` is 1 to :data:`MAX_PAGE_SIZE` (default :data:`DEFAULT_PAGE_SIZE`) and
``offset`` 0 to :data:`MAX_OFFSET`; anything else is refused with 400 in the API's
error format before a query runs, so no value (2^63 and beyond included) reaches
the database, and no request gets every row at once. Use :func:`paginated` in
place of ninja's ``@paginate``: it also declares the 400 in the OpenAPI document.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ninja import Field, Schema
from ninja.operation import Operation
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.utils import contribute_operation_callback

from egov.core.api_errors import BadInputOut

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 200
MAX_OFFSET = 10_000_000


class BoundedPagination(LimitOffsetPagination):
    """Limit/offset pages with both numbers bounded (有界分页)."""

    class Input(Schema):
        limit: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="items per page")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="items to skip")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_PAGE_SIZE, **kwargs)


def declare_bad_page(operation: Operation) -> None:
    """The operation may answer 400 (a limit or offset out of bounds): say so in OpenAPI."""
    if 400 not in operation.response_models:
        # The same private helper ninja's own paginate uses to change the 200 model.
        operation.response_models[400] = operation._create_response_model(BadInputOut)


def paginated(view: Callable[..., Any]) -> Callable[..., Any]:
    """``@paginate(BoundedPagination)``, with its 400 answer declared."""
    view = paginate(BoundedPagination)(view)
    contribute_operation_callback(view, declare_bad_page)
    return view
