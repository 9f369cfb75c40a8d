"""RFC 3161 time-stamping (时间戳服务) for the message log and anyone else.

* :mod:`.protocol` (pure) — TimeStampReq/TSTInfo/TimeStampResp, tokens, verification
* :mod:`.merkle` (pure) — RFC 9162 hash trees over a batch of entry digests
* :mod:`.client` (pure) — ask a TSA by URL over HTTP and verify its answer
* :mod:`.evidence` (pure) — verify one entry offline from proof, root and token
* :mod:`.services` — our TSA: set-up, answering requests, ``timestamp_root``
* :mod:`.selectors` — ``verify_inclusion`` with the platform's trusted CAs
* :mod:`.views` — ``POST /tsa`` (application/timestamp-query -> timestamp-reply)

See docs/trust.md "Time-stamping" and ADRs 0063, 0064.
"""
