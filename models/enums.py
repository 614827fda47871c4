"""Enumerations shared by every layer. Values are what is stored and exchanged."""

from enum import IntEnum, StrEnum


class AgencyLevel(StrEnum):
    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"

    @property
    def label(self) -> str:
        return {"province": "Cấp tỉnh", "district": "Cấp huyện", "commune": "Cấp xã"}[self.value]


class ProcessingUnit(StrEnum):
    WORKING_DAYS = "working_days"
    WORKING_HOURS = "working_hours"
    CALENDAR_DAYS = "calendar_days"


class OnlineLevel(StrEnum):
    FULL = "toan_trinh"
    PARTIAL = "mot_phan"
    IN_PERSON = "truc_tiep"

    @property
    def label(self) -> str:
        return {
            "toan_trinh": "Trực tuyến toàn trình",
            "mot_phan": "Trực tuyến một phần",
            "truc_tiep": "Nộp trực tiếp",
        }[self.value]


class FeeKind(StrEnum):
    PHI = "phi"
    LE_PHI = "le_phi"

    @property
    def label(self) -> str:
        return "Phí" if self is FeeKind.PHI else "Lệ phí"


class SubjectType(IntEnum):
    """LoaiDoiTuong of the national exchange."""

    CITIZEN = 1
    BUSINESS = 2
    STATE_BODY = 3
    ORGANISATION = 4

    @property
    def label(self) -> str:
        return {1: "Công dân", 2: "Doanh nghiệp", 3: "Cơ quan nhà nước", 4: "Tổ chức"}[int(self)]


class Channel(StrEnum):
    """KenhThucHien: how the dossier reached the agency."""

    COUNTER = "counter"
    ONLINE = "online"
    POSTAL = "postal"


class CollectionMethod(StrEnum):
    COUNTER = "counter"
    POST = "post"


class DossierStatus(IntEnum):
    """The national portal's status codes (TrangThaiHoSo)."""

    REGISTERED_ONLINE = 1
    ACCEPTED = 2
    REFUSED = 3
    PROCESSING = 4
    SUPPLEMENT_REQUESTED = 5
    PAYMENT_REQUESTED = 6
    WITHDRAWN = 7
    STOPPED = 8
    RESULT_READY = 9
    RETURNED = 10

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS: dict[DossierStatus, str] = {
    DossierStatus.REGISTERED_ONLINE: "Mới đăng ký",
    DossierStatus.ACCEPTED: "Được tiếp nhận",
    DossierStatus.REFUSED: "Không được tiếp nhận",
    DossierStatus.PROCESSING: "Đang xử lý",
    DossierStatus.SUPPLEMENT_REQUESTED: "Yêu cầu bổ sung giấy tờ",
    DossierStatus.PAYMENT_REQUESTED: "Yêu cầu thực hiện nghĩa vụ tài chính",
    DossierStatus.WITHDRAWN: "Công dân yêu cầu rút hồ sơ",
    DossierStatus.STOPPED: "Dừng xử lý",
    DossierStatus.RESULT_READY: "Đã xử lý xong",
    DossierStatus.RETURNED: "Đã trả kết quả",
}


class EventType(StrEnum):
    """Steps of a dossier's life; each is one append-only event."""

    RECEIVED = "received"
    FORWARDED = "forwarded"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    SUPPLEMENTED = "supplemented"
    REFUSED = "refused"
    PAYMENT_REQUESTED = "payment_requested"
    RESULT_READY = "result_ready"
    RETURNED = "returned"
    WITHDRAWN = "withdrawn"
    STOPPED = "stopped"
    EXTENDED = "extended"


class PaymentKind(StrEnum):
    PAYMENT = "payment"
    EXEMPTION = "exemption"
    REFUND = "refund"


class PaymentMethod(StrEnum):
    CASH = "cash"
    BANK_TRANSFER = "bank_transfer"
    ONLINE = "online"

    @property
    def label(self) -> str:
        return {"cash": "Tiền mặt", "bank_transfer": "Chuyển khoản", "online": "Thanh toán trực tuyến"}[self.value]


class Satisfaction(IntEnum):
    """Quick rating when the result is handed back (Decision 766)."""

    SATISFIED = 1
    ACCEPTABLE = 2
    DISSATISFIED = 3

    @property
    def label(self) -> str:
        return {1: "Hài lòng", 2: "Chấp nhận được", 3: "Không hài lòng"}[int(self)]


class Role(StrEnum):
    OFFICER = "officer"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return {"officer": "Cán bộ một cửa", "supervisor": "Lãnh đạo / giám sát", "admin": "Quản trị"}[
            self.value
        ]


class DayKind(StrEnum):
    HOLIDAY = "holiday"
    WORKDAY = "workday"


class OutboxState(StrEnum):
    """Where an outbox item is on its way to the portal."""

    WAITING = "waiting"
    QUARANTINED = "quarantined"  # the portal rejected it; an officer looks at the reason and retries
    DELIVERED = "delivered"  # acknowledged by the portal; kept as the record of what was sent


class SyncFact(StrEnum):
    """Keys of the `sync_state` table."""

    PORTAL_URL = "portal_url"
    CURSOR = "pull_cursor"
    LAST_SUCCESS = "last_success"
    LAST_ATTEMPT = "last_attempt"
    LAST_ERROR = "last_error"
    ONLINE = "online"
    CLOCK_OFFSET = "clock_offset_seconds"
    ENROLLED_AT = "enrolled_at"
