from __future__ import annotations

import base64
import json
from typing import Any

from django.test import Client

URL = "/api/v1/exchange/messages"


def document(title: str = "关于报送数据的通知") -> dict[str, Any]:
    return {
        "title": title,
        "filename": "notice.txt",
        "media_type": "text/plain",
        "content": base64.b64encode("正文".encode()).decode("ascii"),
    }


def post(body: Any, raw: bool = False) -> Any:
    data = body if raw else json.dumps(body, ensure_ascii=False)
    return Client().post(URL, data=data, content_type="application/json")
