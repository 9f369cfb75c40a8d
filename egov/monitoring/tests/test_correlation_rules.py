"""The correlation rules, pure: facts in, hits out (no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from egov.monitoring import correlation as c

T0 = dt.datetime(2026, 11, 26, 2, 0, tzinfo=dt.UTC)  # 10:00 in Beijing


def failures(address: str, names: list[str], *, every_seconds: int = 30, start: dt.datetime = T0):
    return tuple(
        c.FailedLogin(n, start + dt.timedelta(seconds=n * every_seconds), name, address)
        for n, name in enumerate(names)
    )


def users(n: int) -> list[str]:
    return [f"user{i}" for i in range(n)]


def brute(facts: c.Facts, **params: int) -> list[c.Hit]:
    return c.BRUTE_FORCE.run(facts, params)


def test_five_accounts_failing_from_one_address_within_ten_minutes_is_one_hit() -> None:
    [hit] = brute(c.Facts(failed_logins=failures("198.51.100.7", users(5))))

    assert hit.subject == "198.51.100.7"
    assert hit.severity == "high"
    assert hit.evidence["usernames"] == users(5)
    assert hit.evidence["attempts"] == 5
    assert (hit.window_start, hit.window_end) == (T0, T0 + dt.timedelta(minutes=2))


def test_four_accounts_are_not_enough() -> None:
    assert brute(c.Facts(failed_logins=failures("198.51.100.7", users(4) * 3))) == []


def test_one_account_tried_many_times_is_not_across_accounts() -> None:
    assert brute(c.Facts(failed_logins=failures("198.51.100.7", ["admin"] * 50))) == []


def test_the_same_accounts_spread_beyond_the_window_are_not_a_hit() -> None:
    slow = failures("198.51.100.7", users(5), every_seconds=4 * 60)  # 5 names over 16 minutes

    assert brute(c.Facts(failed_logins=slow)) == []
    assert len(brute(c.Facts(failed_logins=slow), window_minutes=20)) == 1


def test_accounts_from_different_addresses_do_not_add_up() -> None:
    mixed = failures("198.51.100.7", users(3)) + failures("198.51.100.8", users(3))

    assert brute(c.Facts(failed_logins=mixed)) == []


def test_two_bursts_an_hour_apart_are_two_hits() -> None:
    later = T0 + dt.timedelta(hours=1)
    facts = c.Facts(
        failed_logins=failures("198.51.100.7", users(5))
        + failures("198.51.100.7", users(6), start=later)
    )

    hits = brute(facts)

    assert [hit.window_start for hit in hits] == [T0, later]
    assert len({hit.fingerprint for hit in hits}) == 2


def test_thresholds_are_parameters() -> None:
    facts = c.Facts(failed_logins=failures("198.51.100.7", users(3)))

    assert len(brute(facts, distinct_usernames=3)) == 1


def sign_in(at: dt.datetime, **overrides: object) -> c.SignInFact:
    values: dict = {
        "sign_in_id": 1,
        "at": at,
        "username": "admin_x",
        "ip_address": "192.0.2.10",
        "privileged": True,
        "roles": ("administrator",),
        "organisation": "230000-GOV",
        "addresses_seen_before": frozenset({"192.0.2.10"}),
        "signed_in_before": True,
    }
    return c.SignInFact(**(values | overrides))


@pytest.mark.parametrize(
    ("utc_hour", "odd"),
    [(14, True), (15, True), (21, True), (22, False), (2, False), (13, False)],
)
def test_odd_hours_are_read_on_beijing_time(utc_hour: int, odd: bool) -> None:
    # 22:00-06:00 in Beijing is 14:00-22:00 UTC.
    at = dt.datetime(2026, 11, 26, utc_hour, 30, tzinfo=dt.UTC)

    hits = c.ODD_HOURS.run(c.Facts(sign_ins=(sign_in(at),)))

    assert bool(hits) is odd
    if odd:
        assert hits[0].subject == "admin_x"
        assert hits[0].organisation == "230000-GOV"


def test_odd_hours_may_be_a_daytime_range_and_skip_unprivileged_accounts() -> None:
    at = dt.datetime(2026, 11, 26, 4, 30, tzinfo=dt.UTC)  # 12:30 in Beijing
    facts = c.Facts(sign_ins=(sign_in(at), sign_in(at, privileged=False, sign_in_id=2)))

    [hit] = c.ODD_HOURS.run(facts, {"hours": "12-14"})

    assert hit.evidence["sign_in"] == 1


@pytest.mark.parametrize("text", ["22", "25-6", "6-6", "a-b"])
def test_malformed_odd_hours_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="odd hours"):
        c.parse_hours(text)


def test_a_privileged_sign_in_from_a_new_address_is_a_hit() -> None:
    fact = sign_in(T0, ip_address="203.0.113.50")

    [hit] = c.NEW_ADDRESS.run(c.Facts(sign_ins=(fact,)))

    assert hit.severity == "high"
    assert hit.evidence["addresses_seen_before"] == ["192.0.2.10"]
    assert hit.evidence["ip_address"] == "203.0.113.50"


def test_a_known_address_or_a_first_ever_sign_in_is_not() -> None:
    facts = c.Facts(
        sign_ins=(
            sign_in(T0),
            sign_in(T0, ip_address="203.0.113.50", signed_in_before=False,
                    addresses_seen_before=frozenset()),
            sign_in(T0, ip_address="203.0.113.51", privileged=False),
        )
    )  # fmt: skip

    assert c.NEW_ADDRESS.run(facts) == []


def grant(role: str, change: str = "role_granted") -> c.PrivilegeChange:
    return c.PrivilegeChange(7, T0, "clerk_x", change, role, "230102-GOV", "admin_province")


def test_role_grants_are_hits_privileged_roles_high() -> None:
    facts = c.Facts(
        privilege_changes=(grant("auditor"), grant("clerk"), grant("auditor", "role_revoked"))
    )

    hits = c.ROLE_GRANTED.run(facts)

    assert [(hit.evidence["role"], hit.severity) for hit in hits] == [
        ("auditor", "high"),
        ("clerk", "medium"),
    ]
    assert hits[0].evidence["granted_by"] == "admin_province"
    assert hits[0].organisation == "230102-GOV"


def test_role_grants_can_be_limited_to_some_roles() -> None:
    facts = c.Facts(privilege_changes=(grant("auditor"), grant("clerk")))

    assert [h.evidence["role"] for h in c.ROLE_GRANTED.run(facts, {"roles": ["auditor"]})] == [
        "auditor"
    ]


def test_the_same_facts_give_the_same_fingerprints() -> None:
    facts = c.Facts(
        failed_logins=failures("198.51.100.7", users(5)),
        privilege_changes=(grant("administrator"),),
    )

    first = [hit.fingerprint for hit in c.correlate(facts)]

    assert first == [hit.fingerprint for hit in c.correlate(facts)]
    assert len(set(first)) == 2
