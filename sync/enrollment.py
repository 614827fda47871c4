"""Enrolling this counter with a portal: a one-time code from the portal's admin becomes a device token."""

from app import audit, clock
from app.db import Store
from app.errors import CounterError
from app.permissions import Actor, Permission
from app.profile import load_profile
from app.serialize import iso
from sync import state
from sync.client import PortalClient
from sync.protocol import EnrollRequest, EnrollResponse


def enroll(store: Store, actor: Actor, portal_url: str, code: str, client: PortalClient | None = None
           ) -> EnrollResponse:
    actor.require(Permission.MANAGE_SETTINGS)
    if not portal_url.startswith(("http://", "https://")):
        raise CounterError("Địa chỉ cổng phải bắt đầu bằng http:// hoặc https://.")
    with store.read() as session:
        profile = load_profile(session)
    # The public key (app.device_key) lets the portal verify this counter's signed receipts and bundles;
    # a counter set up before keys existed still enrolls, with an empty key.
    request = EnrollRequest(code=code.strip(), agency_code=profile.agency_code,
                            counter_number=profile.counter_number, device_id=profile.device_id,
                            public_key=profile.public_key or "")
    own_client = client is None
    client = client or PortalClient(portal_url)
    try:
        answer = client.enroll(request)
    finally:
        if own_client:
            client.close()
    state.save_token(store.data_dir, answer.device_token)
    with store.write() as session:
        state.put(session, state.PORTAL_URL, portal_url.rstrip("/"))
        state.put(session, state.ENROLLED_AT, iso(clock.now()))
        audit.record(session, actor.username, "sync.enroll", "portal", portal_url.rstrip("/"),
                     {"device_id": answer.device_id, "counter": answer.counter_number})
    return answer
