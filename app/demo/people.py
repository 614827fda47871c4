"""Synthetic people: Vietnamese names, dates of birth, CCCD numbers, phones, addresses.

Only the tables and the drawing of one owner live here; the random stream is the
generator's (one per day, see app.demo.generator), passed in so the draws stay in the
same order as before and a seed keeps giving the same people.
"""

from collections.abc import Callable

from app.textfold import fold
from app.validation import CCCD_PROVINCE_CODES

from .weighted import Weighted


KINH, HMONG, TAI = 0, 1, 2
# (family name, weight per 1000, group). Kinh weights follow published surname surveys;
# the Hmong and Tày/Thái names are what a mountain commune adds.
FAMILY_NAMES: tuple[tuple[str, float, int], ...] = (
    ("Nguyễn", 380, KINH), ("Trần", 105, KINH), ("Lê", 90, KINH), ("Phạm", 65, KINH),
    ("Hoàng", 40, KINH), ("Huỳnh", 14, KINH), ("Phan", 40, KINH), ("Vũ", 30, KINH), ("Võ", 18, KINH),
    ("Đặng", 20, KINH), ("Bùi", 19, KINH), ("Đỗ", 14, KINH), ("Hồ", 12, KINH), ("Ngô", 12, KINH),
    ("Dương", 10, KINH), ("Lý", 5, KINH), ("Đinh", 6, KINH), ("Trịnh", 4, KINH), ("Đoàn", 3, KINH),
    ("Mai", 3, KINH), ("Lương", 3, KINH), ("Triệu", 3, TAI), ("Nông", 3, TAI),
    ("Lò", 12, TAI), ("Hà", 10, TAI), ("Lường", 6, TAI), ("Vàng", 10, HMONG), ("Giàng", 8, HMONG),
    ("Sùng", 6, HMONG), ("Thào", 3, HMONG), ("Má", 2, HMONG), ("Ly", 2, HMONG),
)
MIDDLE_NAMES: dict[tuple[int, bool], tuple[tuple[str, float], ...]] = {
    # (group, female)
    (KINH, False): (("Văn", 45), ("Đức", 8), ("Minh", 8), ("Quang", 6), ("Hữu", 6), ("Công", 5), ("Xuân", 4),
                    ("Thanh", 4), ("Ngọc", 3), ("Đình", 4), ("Tiến", 3), ("Mạnh", 2), ("Trọng", 3), ("Bá", 2),
                    ("Duy", 3), ("Quốc", 3)),
    (KINH, True): (("Thị", 55), ("Thu", 5), ("Ngọc", 5), ("Thanh", 4), ("Minh", 3), ("Phương", 3), ("Hồng", 4),
                   ("Bích", 2), ("Kim", 3), ("Thúy", 2), ("Diệu", 1), ("Thùy", 2), ("Thị Hồng", 4), ("Thị Thu", 4),
                   ("Thị Minh", 3)),
    (HMONG, False): (("A", 50), ("Seo", 25), ("Văn", 25)),
    (HMONG, True): (("Thị", 60), ("Mí", 40)),
    (TAI, False): (("Văn", 85), ("Đức", 5), ("Xuân", 5), ("Thanh", 5)),
    (TAI, True): (("Thị", 90), ("Thu", 5), ("Hồng", 5)),
}
GIVEN_NAMES: dict[tuple[int, bool], tuple[str, ...]] = {
    (KINH, False): ("Đức", "Hùng", "Dũng", "Tuấn", "Minh", "Nam", "Long", "Hải", "Sơn", "Thắng", "Cường", "Quân",
                    "Huy", "Hoàng", "Phong", "Khánh", "Trung", "Hiếu", "Thành", "Tùng", "Đạt", "Bình", "Lâm",
                    "Vinh", "Thịnh", "Tài", "Phúc", "Kiên", "Quang", "Duy", "Anh", "Việt", "Hưng", "Toàn",
                    "Thái", "Tiến", "Hậu", "Lợi", "Nghĩa", "Công", "Đông", "Khoa", "Lộc", "Trường", "Tâm"),
    (KINH, True): ("Lan", "Hoa", "Hương", "Mai", "Linh", "Trang", "Hằng", "Nhung", "Thảo", "Ngọc", "Yến", "Hạnh",
                   "Phương", "Thủy", "Dung", "Hà", "Hiền", "Loan", "Nga", "Vân", "Oanh", "Huyền", "Giang", "Chi",
                   "Anh", "Thu", "Tâm", "Quỳnh", "Liên", "Lụa", "My", "Nhàn", "Xuân", "Diệp", "Đào", "Duyên",
                   "Trinh", "Ánh", "Nguyệt", "Hồng"),
    (HMONG, False): ("Páo", "Chứ", "Dế", "Sính", "Sử", "Pủa", "Mang", "Chư", "Lử", "Sềnh", "Dìn", "Sà", "Chinh",
                     "Tủa", "Vừ", "Nhà", "Tráng", "Lềnh", "Phừ", "Dủa"),
    (HMONG, True): ("Mỷ", "Dua", "Sai", "Pà", "Chá", "Dợ", "Súa", "Cở", "Xá", "Mái", "Say", "Dở", "Sua", "Lan"),
    (TAI, False): ("Páo", "Khằm", "Ón", "Inh", "Chiến", "Hùng", "Tuấn", "Lả", "Ngoan", "Xuân", "Bun", "Ươi", "Thắng",
                   "Thanh", "Quý", "Sơn", "Điện"),
    (TAI, True): ("Ơn", "Un", "Ngần", "Xuân", "Hoa", "Lả", "Ánh", "Inh", "Pằn", "Bình", "Thơm", "Hương", "Lan"),
}
VILLAGES = ("Thôn Khe Cảnh", "Thôn Làng Giàng", "Bản Mế", "Bản Phố", "Thôn Nậm Khánh", "Bản Sín Chải",
            "Thôn Cốc Ly", "Thôn Tả Van", "Bản Lầu", "Thôn Pạc Tà", "Bản Nà Lốc", "Thôn Làng Mới",
            "Thôn Đồng Tâm", "Thôn Tân Thành", "Thôn Bắc Ngầm", "Tổ dân phố 1", "Tổ dân phố 2",
            "Thôn 1", "Thôn 2", "Thôn 3", "Thôn 4", "Thôn 5", "Thôn 6", "Thôn 7", "Thôn 8", "Thôn 9")
NEIGHBOUR_COMMUNES = ("xã Bảo Nhai", "xã Bắc Hà", "xã Si Ma Cai", "xã Mường Khương", "xã Cốc San",
                      "xã Bản Lầu", "xã Văn Bàn", "phường Cam Đường", "xã Phong Hải", "xã Xuân Quang")
# CCCD prefixes of the people a commune in Lào Cai (formerly Lào Cai and Yên Bái) serves.
HOME_PROVINCE_CODES: tuple[tuple[str, float], ...] = (("010", 45), ("015", 25))
OTHER_PROVINCES_SHARE = 30
MOBILE_PREFIXES: tuple[tuple[str, float], ...] = tuple(
    [(p, 6) for p in ("086", "096", "097", "098")] + [(f"03{d}", 3) for d in range(2, 10)]
    + [(p, 3) for p in ("088", "091", "094", "081", "082", "083", "084", "085")]
    + [(p, 2) for p in ("089", "090", "093", "070", "076", "077", "078", "079")]
    + [(p, 1) for p in ("092", "056", "058", "099", "059")])


class People:
    """The drawing tables of one seed, built once per generating process."""

    def __init__(self, commune: str, province: str, year: int):
        self.year = year
        self.family = Weighted([((name, fold(name), group), w) for name, w, group in FAMILY_NAMES])
        self.middle = {key: Weighted([((m, fold(m)), w) for m, w in items]) for key, items in MIDDLE_NAMES.items()}
        self.given = {key: [(g, fold(g)) for g in names] for key, names in GIVEN_NAMES.items()}
        others = sorted(CCCD_PROVINCE_CODES - {c for c, _ in HOME_PROVINCE_CODES})
        self.province_codes = Weighted(list(HOME_PROVINCE_CODES)
                                       + [(c, OTHER_PROVINCES_SHARE / len(others)) for c in others])
        self.mobile = Weighted(list(MOBILE_PREFIXES))
        # Adults who come to the counter: 18-85, most between 25 and 60.
        self.ages = Weighted([(a, (a - 15) * (90 - a)) for a in range(18, 86)])
        home = [f"{v}, {commune}, {province}" for v in VILLAGES]
        away = [f"{v}, {c}, {province}" for v in VILLAGES[:8] for c in NEIGHBOUR_COMMUNES]
        self.addresses = Weighted([(a, 85 / len(home)) for a in home] + [(a, 15 / len(away)) for a in away])

    def person(self, r: Callable[[], float]) -> tuple[str, str, str, str, str, str]:
        """(name, folded name, id number, dob text, phone, address)."""
        family, family_folded, group = self.family.pick(r())
        female = r() < 0.52
        middle, middle_folded = self.middle[(group, female)].pick(r())
        givens = self.given[(group, female)]
        given, given_folded = givens[int(r() * len(givens))]
        year = self.year - self.ages.pick(r())
        century_sex = (0 if year < 2000 else 2) + female
        id_number = f"{self.province_codes.pick(r())}{century_sex}{year % 100:02d}{int(r() * 1_000_000):06d}"
        phone = "" if r() < 0.08 else f"{self.mobile.pick(r())}{int(r() * 10_000_000):07d}"
        return (f"{family} {middle} {given}", f"{family_folded} {middle_folded} {given_folded}", id_number,
                f"{year:04d}-{1 + int(r() * 12):02d}-{1 + int(r() * 28):02d}", phone, self.addresses.pick(r()))
