"""Dossiers as plain JSON-ready dicts: for `lookup --json` and for the outbox."""

from datetime import datetime
from typing import Any

from app.worktime import AGENCY_TZ
from models.enums import DossierStatus
from models.tables import Dossier, DossierDocument, DossierEvent


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in the agency's local time (+07:00): unambiguous and readable at the counter."""
    return moment.astimezone(AGENCY_TZ).isoformat() if moment else None


def dossier_summary(dossier: Dossier) -> dict[str, Any]:
    return {
        "code": dossier.code,
        "status": dossier.status,
        "status_label": DossierStatus(dossier.status).label,
        "received_at": iso(dossier.received_at),
        "due_at": iso(dossier.due_at),
        "procedure_code": dossier.procedure_code,
    }


def document_payload(doc: DossierDocument) -> dict[str, Any]:
    return {"position": doc.position, "name": doc.name, "originals": doc.originals,
            "certified_copies": doc.certified_copies, "copies": doc.copies, "required": doc.required,
            "submitted": doc.submitted}


def event_payload(event: DossierEvent) -> dict[str, Any]:
    return {"id": event.id, "seq": event.seq, "type": event.type, "at": iso(event.at),
            "recorded_at": iso(event.recorded_at), "officer_id": event.officer_id,
            "counter_number": event.counter_number, "status_after": event.status_after, "details": event.details}


def dossier_payload(dossier: Dossier, documents: list[DossierDocument], events: list[DossierEvent]
                    ) -> dict[str, Any]:
    return {
        **dossier_summary(dossier),
        "id": dossier.id,
        "procedure_name": dossier.procedure_name,
        "field_code": dossier.field_code,
        "channel": dossier.channel,
        "owner": {"name": dossier.owner_name, "id_number": dossier.owner_id_number,
                  "dob": dossier.owner_dob.isoformat() if dossier.owner_dob else None,
                  "phone": dossier.owner_phone, "email": dossier.owner_email, "address": dossier.owner_address,
                  "subject_type": dossier.subject_type},
        "submitter": ({"name": dossier.submitter_name, "id_number": dossier.submitter_id_number,
                       "phone": dossier.submitter_phone} if dossier.submitter_name else None),
        "sets": dossier.sets,
        "collection": {"method": dossier.collection_method, "address": dossier.collection_address},
        "note": dossier.note,
        "recorded_at": iso(dossier.recorded_at),
        "late_entry": dossier.late_entry,
        "processing": {"value": dossier.processing_value, "unit": dossier.processing_unit},
        "fee_total": dossier.fee_total,
        "register": {"book": dossier.register_book, "number": dossier.register_number},
        "officer": dossier.officer_name,
        "counter_number": dossier.counter_number,
        "documents": [document_payload(d) for d in documents],
        "events": [event_payload(e) for e in events],
    }
