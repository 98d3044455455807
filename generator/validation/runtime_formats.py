"""Format checkers copied into generated validators (standard library only).

This file is real, importable Python (so it is type-checked and linted like
any module), and it is also the *source* that :mod:`.formats` copies into a
generated ``validators.py``: each ``# == name`` line starts a section, and a
module only receives the sections its schemas use (plus their dependencies,
declared in :data:`generator.validation.formats.SECTIONS`).

Every checker takes a ``str`` and returns a ``bool``; they follow the RFCs the
drafts cite: RFC 3339 (date, time, date-time, duration), RFC 5321/6531
(email, idn-email), RFC 1123 + IDNA2008 (RFC 5890-5893: hostname,
idn-hostname, including A-label decoding, contextual rules and the Bidi
rule), RFC 2673/4291 (ipv4, ipv6), RFC 3986/3987 (uri, iri and their
references), RFC 4122 (uuid), RFC 6901 and the relative JSON pointer draft,
RFC 6570 (uri-template) and ECMA-262 (regex).  ``unicodedata`` stands in for
the Unicode properties IDNA needs (joining types and scripts are
approximated from character names and ranges).
"""

from __future__ import annotations

import datetime
import re
import unicodedata

# == _fmt_date
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def _fmt_date(value: str) -> bool:
    match = _DATE.fullmatch(value)
    if match is None:
        return False
    try:
        datetime.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return False
    return True


# == _fmt_time
_TIME = re.compile(r"([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.[0-9]+)?(?:[Zz]|([+-])([0-9]{2}):([0-9]{2}))")


def _fmt_time(value: str) -> bool:
    match = _TIME.fullmatch(value)
    if match is None:
        return False
    hour, minute, second = int(match[1]), int(match[2]), int(match[3])
    off_hour = int(match[5]) if match[4] else 0
    off_minute = int(match[6]) if match[4] else 0
    if hour > 23 or minute > 59 or second > 60 or off_hour > 23 or off_minute > 59:
        return False
    if second == 60:  # a leap second is 23:59:60 in UTC
        sign = -1 if match[4] == "-" else 1
        utc = (hour * 60 + minute - sign * (off_hour * 60 + off_minute)) % 1440
        return utc == 23 * 60 + 59
    return True


# == _fmt_date_time
def _fmt_date_time(value: str) -> bool:
    date, sep, time = value[:10], value[10:11], value[11:]
    return sep in ("T", "t") and _fmt_date(date) and _fmt_time(time)


# == _fmt_duration
_DUR_TIME = r"T(?:[0-9]+H(?:[0-9]+M(?:[0-9]+S)?)?|[0-9]+M(?:[0-9]+S)?|[0-9]+S)"
_DUR_DATE = r"(?:[0-9]+Y(?:[0-9]+M(?:[0-9]+D)?)?|[0-9]+M(?:[0-9]+D)?|[0-9]+D)"
_DURATION = re.compile(rf"P(?:{_DUR_DATE}(?:{_DUR_TIME})?|{_DUR_TIME}|[0-9]+W)")


def _fmt_duration(value: str) -> bool:
    return _DURATION.fullmatch(value) is not None


# == _fmt_ipv4
_DEC_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])"
_IPV4 = rf"{_DEC_OCTET}(?:\.{_DEC_OCTET}){{3}}"
_IPV4_RE = re.compile(_IPV4)


def _fmt_ipv4(value: str) -> bool:
    return _IPV4_RE.fullmatch(value) is not None


# == _fmt_ipv6
_H16 = r"[0-9A-Fa-f]{1,4}"
_LS32 = rf"(?:{_H16}:{_H16}|{_IPV4})"
_IPV6 = "(?:" + "|".join([
    rf"(?:{_H16}:){{6}}{_LS32}",
    rf"::(?:{_H16}:){{5}}{_LS32}",
    rf"(?:{_H16})?::(?:{_H16}:){{4}}{_LS32}",
    rf"(?:(?:{_H16}:){{0,1}}{_H16})?::(?:{_H16}:){{3}}{_LS32}",
    rf"(?:(?:{_H16}:){{0,2}}{_H16})?::(?:{_H16}:){{2}}{_LS32}",
    rf"(?:(?:{_H16}:){{0,3}}{_H16})?::{_H16}:{_LS32}",
    rf"(?:(?:{_H16}:){{0,4}}{_H16})?::{_LS32}",
    rf"(?:(?:{_H16}:){{0,5}}{_H16})?::{_H16}",
    rf"(?:(?:{_H16}:){{0,6}}{_H16})?::",
]) + ")"
_IPV6_RE = re.compile(_IPV6)


def _fmt_ipv6(value: str) -> bool:
    return _IPV6_RE.fullmatch(value) is not None


# == _idna
_PVALID_EXCEPTIONS = frozenset({0x00DF, 0x03C2, 0x06FD, 0x06FE, 0x0F0B, 0x3007})
_CONTEXTO = frozenset({0x00B7, 0x0375, 0x05F3, 0x05F4, 0x30FB, *range(0x0660, 0x066A), *range(0x06F0, 0x06FA)})
_DISALLOWED_EXCEPTIONS = frozenset({0x0640, 0x07FA, 0x302E, 0x302F, 0x3031, 0x3032, 0x3033, 0x3034, 0x3035, 0x303B})
_DISALLOWED_RANGES = (
    (0x20D0, 0x20FF), (0x1D100, 0x1D24F),  # ignorable blocks (combining marks for symbols, music)
    (0x1100, 0x11FF), (0xA960, 0xA97F), (0xD7B0, 0xD7FF),  # old Hangul jamo
    (0x034F, 0x034F), (0x180B, 0x180F), (0xFE00, 0xFE0F), (0xE0100, 0xE01EF),  # default ignorables
)
_LETTER_DIGITS = frozenset({"Ll", "Lu", "Lo", "Nd", "Lm", "Mn", "Mc"})
_LDH = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")
_R_JOINING = frozenset({
    0x0622, 0x0623, 0x0624, 0x0625, 0x0627, 0x0629, 0x062F, 0x0630, 0x0631, 0x0632, 0x0648, 0x0671, 0x0672,
    0x0673, 0x0675, 0x0676, 0x0677, *range(0x0688, 0x069A), 0x06C0, *range(0x06C3, 0x06CC), 0x06CD, 0x06CF,
    0x06D2, 0x06D3, 0x06D5, 0x06EE, 0x06EF,
})
_SEPARATORS = re.compile("[.\u3002\uff0e\uff61]")
_LDH_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")


def _idna_property(ch: str) -> str:
    """RFC 5892 derived property of one code point: PVALID, CONTEXTJ, CONTEXTO or DISALLOWED."""
    cp = ord(ch)
    if cp in _PVALID_EXCEPTIONS:
        return "PVALID"
    if cp in _CONTEXTO:
        return "CONTEXTO"
    if cp in _DISALLOWED_EXCEPTIONS:
        return "DISALLOWED"
    category = unicodedata.category(ch)
    if category == "Cn":
        return "DISALLOWED"
    if ch in _LDH:
        return "PVALID"
    if cp in (0x200C, 0x200D):
        return "CONTEXTJ"
    if unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", ch).casefold()) != ch:
        return "DISALLOWED"
    if any(lo <= cp <= hi for lo, hi in _DISALLOWED_RANGES):
        return "DISALLOWED"
    return "PVALID" if category in _LETTER_DIGITS else "DISALLOWED"


def _script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return "HAN" if name.startswith("CJK") else name.split(" ", 1)[0]


def _joining(ch: str) -> str:
    """Approximate Unicode joining type: T(ransparent), R(ight), D(ual) or U."""
    if unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return "T"
    if ord(ch) in _R_JOINING:
        return "R"
    if unicodedata.bidirectional(ch) == "AL" and unicodedata.category(ch) == "Lo":
        return "D"
    return "U"


def _context_ok(label: str, i: int) -> bool:
    """RFC 5892 appendix A: the contextual rule for ``label[i]``."""
    cp = ord(label[i])
    before = label[i - 1] if i > 0 else ""
    after = label[i + 1] if i + 1 < len(label) else ""
    if cp in (0x200C, 0x200D):
        if before and unicodedata.combining(before) == 9:  # a virama
            return True
        if cp == 0x200D:
            return False
        left = [_joining(c) for c in reversed(label[:i])]
        right = [_joining(c) for c in label[i + 1:]]
        left_ok = next((t for t in left if t != "T"), "U") in ("L", "D")
        right_ok = next((t for t in right if t != "T"), "U") in ("R", "D")
        return left_ok and right_ok
    if cp == 0x00B7:
        return before == "l" and after == "l"
    if cp == 0x0375:
        return bool(after) and _script(after) == "GREEK"
    if cp in (0x05F3, 0x05F4):
        return bool(before) and _script(before) == "HEBREW"
    if cp == 0x30FB:
        return any(_script(c) in ("HIRAGANA", "KATAKANA", "HAN") for c in label if c != "\u30fb")
    if 0x0660 <= cp <= 0x0669:
        return not any("\u06f0" <= c <= "\u06f9" for c in label)
    if 0x06F0 <= cp <= 0x06F9:
        return not any("\u0660" <= c <= "\u0669" for c in label)
    return False


def _u_label_ok(label: str) -> bool:
    if not label or label[0] == "-" or label[-1] == "-" or label[2:4] == "--":
        return False
    if unicodedata.category(label[0]).startswith("M"):
        return False
    for i, ch in enumerate(label):
        prop = _idna_property(ch)
        if prop == "DISALLOWED" or (prop != "PVALID" and not _context_ok(label, i)):
            return False
    return True


def _a_label(label: str) -> str | None:
    """The U-label an A-label ("xn--...") stands for, or None if it is not a valid A-label."""
    try:
        decoded = label[4:].encode("ascii").decode("punycode")
    except (UnicodeError, ValueError):
        return None
    if decoded.isascii() or "xn--" + decoded.encode("punycode").decode("ascii") != label.lower():
        return None
    return decoded if _u_label_ok(decoded) else None


def _bidi_ok(labels: list[str]) -> bool:
    """RFC 5893: in a domain with right-to-left characters every label obeys the Bidi rule."""
    if not any(unicodedata.bidirectional(c) in ("R", "AL", "AN") for label in labels for c in label):
        return True
    for label in labels:
        dirs = [unicodedata.bidirectional(c) for c in label]
        trimmed = list(dirs)
        while trimmed and trimmed[-1] == "NSM":
            trimmed.pop()
        if not trimmed:
            return False
        if dirs[0] in ("R", "AL"):
            allowed = {"R", "AL", "AN", "EN", "ES", "CS", "ET", "ON", "BN", "NSM"}
            if any(d not in allowed for d in dirs) or trimmed[-1] not in ("R", "AL", "EN", "AN"):
                return False
            if "EN" in dirs and "AN" in dirs:
                return False
        elif dirs[0] == "L":
            allowed = {"L", "EN", "ES", "CS", "ET", "ON", "BN", "NSM"}
            if any(d not in allowed for d in dirs) or trimmed[-1] not in ("L", "EN"):
                return False
        else:
            return False
    return True


def _domain_ok(value: str, idn: bool) -> bool:
    """RFC 1123 host name; with ``idn``, IDNA2008 U-labels and the IDN label separators too."""
    if not value or (not idn and not value.isascii()):
        return False
    labels = _SEPARATORS.split(value) if idn else value.split(".")
    unicode_labels: list[str] = []
    length = len(labels) - 1
    for label in labels:
        if label.isascii():
            if _LDH_LABEL.fullmatch(label) is None:
                return False
            if label[2:4] == "--":
                if label[:2].lower() != "xn":
                    return False
                decoded = _a_label(label)
                if decoded is None:
                    return False
                unicode_labels.append(decoded)
            else:
                unicode_labels.append(label)
            length += len(label)
        else:
            if not idn or not _u_label_ok(label):
                return False
            ascii_form = "xn--" + label.encode("punycode").decode("ascii")
            if len(ascii_form) > 63:
                return False
            unicode_labels.append(label)
            length += len(ascii_form)
    return length <= 253 and _bidi_ok(unicode_labels)


# == _fmt_hostname
def _fmt_hostname(value: str) -> bool:
    return _domain_ok(value, idn=False)


# == _fmt_idn_hostname
def _fmt_idn_hostname(value: str) -> bool:
    return _domain_ok(value, idn=True)


# == _email
_ATEXT = r"A-Za-z0-9!#$%&'*+/=?^_`{|}~\-"
_DOT_ATOM = re.compile(rf"[{_ATEXT}]+(?:\.[{_ATEXT}]+)*")
_DOT_ATOM_IDN = re.compile(rf"[{_ATEXT}\u0080-\U0010ffff]+(?:\.[{_ATEXT}\u0080-\U0010ffff]+)*")
_QUOTED = re.compile(r'"(?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\[\x20-\x7e])*"')
_QUOTED_IDN = re.compile(r'"(?:[\x20\x21\x23-\x5b\x5d-\x7e\u0080-\U0010ffff]|\\[\x20-\x7e])*"')


def _email_ok(value: str, idn: bool) -> bool:
    at = value.rfind("@")
    if at <= 0:
        return False
    local, domain = value[:at], value[at + 1:]
    if len(local.encode("utf-8", "surrogatepass")) > 64:
        return False
    local_ok = (_DOT_ATOM_IDN if idn else _DOT_ATOM).fullmatch(local) or (_QUOTED_IDN if idn else _QUOTED).fullmatch(
        local
    )
    if not local_ok:
        return False
    if domain.startswith("[") and domain.endswith("]"):
        literal = domain[1:-1]
        if literal[:5].lower() == "ipv6:":
            return _fmt_ipv6(literal[5:])
        return _fmt_ipv4(literal)
    return _domain_ok(domain, idn)


# == _fmt_email
def _fmt_email(value: str) -> bool:
    return _email_ok(value, idn=False)


# == _fmt_idn_email
def _fmt_idn_email(value: str) -> bool:
    return _email_ok(value, idn=True)


# == _uri
def _uri_patterns(iri: bool) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(absolute URI, URI reference) per RFC 3986, or RFC 3987's IRI variants."""
    ucs = (
        "\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef\U00010000-\U0001fffd\U00020000-\U0002fffd\U00030000-\U0003fffd"
        "\U00040000-\U0004fffd\U00050000-\U0005fffd\U00060000-\U0006fffd\U00070000-\U0007fffd\U00080000-\U0008fffd"
        "\U00090000-\U0009fffd\U000a0000-\U000afffd\U000b0000-\U000bfffd\U000c0000-\U000cfffd\U000d0000-\U000dfffd"
        "\U000e1000-\U000efffd"
        if iri
        else ""
    )
    private = "\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd" if iri else ""
    unreserved = rf"A-Za-z0-9\-._~{ucs}"
    subs = r"!$&'()*+,;="
    pct = r"%[0-9A-Fa-f]{2}"
    pchar = rf"(?:[{unreserved}{subs}:@]|{pct})"
    userinfo = rf"(?:[{unreserved}{subs}:]|{pct})*"
    future = rf"[vV][0-9A-Fa-f]+\.[{unreserved}{subs}:]+"
    host = rf"(?:\[(?:{_IPV6}|{future})\]|{_IPV4}|(?:[{unreserved}{subs}]|{pct})*)"
    authority = rf"(?:{userinfo}@)?{host}(?::[0-9]*)?"
    segment = rf"{pchar}*"
    nz = rf"{pchar}+"
    nz_nc = rf"(?:[{unreserved}{subs}@]|{pct})+"
    abempty = rf"(?:/{segment})*"
    absolute = rf"/(?:{nz}(?:/{segment})*)?"
    query = rf"(?:\?(?:{pchar}|[/?{private}])*)?"
    fragment = rf"(?:#(?:{pchar}|[/?])*)?"
    hier = rf"(?://{authority}{abempty}|{absolute}|{nz}(?:/{segment})*|)"
    relative = rf"(?://{authority}{abempty}|{absolute}|{nz_nc}(?:/{segment})*|)"
    scheme = r"[A-Za-z][A-Za-z0-9+\-.]*"
    uri = re.compile(rf"{scheme}:{hier}{query}{fragment}")
    ref = re.compile(rf"(?:{scheme}:{hier}|{relative}){query}{fragment}")
    return uri, ref


# == _fmt_uri
_URI, _URI_REF = _uri_patterns(iri=False)


def _fmt_uri(value: str) -> bool:
    return _URI.fullmatch(value) is not None


# == _fmt_uri_reference
def _fmt_uri_reference(value: str) -> bool:
    return _URI_REF.fullmatch(value) is not None


# == _fmt_iri
_IRI, _IRI_REF = _uri_patterns(iri=True)


def _fmt_iri(value: str) -> bool:
    return _IRI.fullmatch(value) is not None


# == _fmt_iri_reference
def _fmt_iri_reference(value: str) -> bool:
    return _IRI_REF.fullmatch(value) is not None


# == _fmt_uuid
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def _fmt_uuid(value: str) -> bool:
    return _UUID.fullmatch(value) is not None


# == _fmt_json_pointer
_POINTER = r"(?:/(?:[^~/]|~[01])*)*"
_POINTER_RE = re.compile(_POINTER)


def _fmt_json_pointer(value: str) -> bool:
    return _POINTER_RE.fullmatch(value) is not None


# == _fmt_relative_json_pointer
_RELATIVE_POINTER = re.compile(rf"(?:0|[1-9][0-9]*)(?:#|{_POINTER})")


def _fmt_relative_json_pointer(value: str) -> bool:
    return _RELATIVE_POINTER.fullmatch(value) is not None


# == _fmt_uri_template
_UT_LITERAL = (
    r"(?:[\x21\x23\x24\x26-\x3b\x3d\x3f-\x5b\x5d\x5f\x61-\x7a\x7e\u00a0-\ud7ff\ue000-\U0010ffff]|%[0-9A-Fa-f]{2})"
)
_UT_CHAR = r"(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})"
_UT_VARSPEC = rf"{_UT_CHAR}(?:\.?{_UT_CHAR})*(?::[1-9][0-9]{{0,3}}|\*)?"
_UT_EXPRESSION = rf"\{{[+#./;?&]?{_UT_VARSPEC}(?:,{_UT_VARSPEC})*\}}"
_URI_TEMPLATE = re.compile(rf"(?:{_UT_LITERAL}|{_UT_EXPRESSION})*")


def _fmt_uri_template(value: str) -> bool:
    return _URI_TEMPLATE.fullmatch(value) is not None


# == _fmt_regex
_ECMA_ESCAPES = frozenset("dDwWsSbBfnrtvcxupPk0123456789")


def _fmt_regex(value: str) -> bool:
    """An ECMA-262 regular expression: checked by translating it to Python syntax and compiling that."""
    out: list[str] = []
    i = 0
    in_class = False
    while i < len(value):
        ch = value[i]
        if ch == "\\":
            nxt = value[i + 1: i + 2]
            if not nxt or (nxt.isascii() and nxt.isalpha() and nxt not in _ECMA_ESCAPES):
                return False
            if nxt == "c":
                if not value[i + 2: i + 3].isalpha():
                    return False
                out.append("\\x01")
                i += 3
                continue
            if nxt in "pP":
                end = value.find("}", i)
                if value[i + 2: i + 3] != "{" or end < 0:
                    return False
                out.append("x")
                i = end + 1
                continue
            if nxt == "k":
                end = value.find(">", i)
                if value[i + 2: i + 3] != "<" or end < 0:
                    return False
                out.append(f"(?P={value[i + 3: end]})")
                i = end + 1
                continue
            out.append(value[i: i + 2])
            i += 2
            continue
        if in_class:
            if ch == "]":
                in_class = False
            out.append("\\[" if ch == "[" else ch)
        elif ch == "[":
            if value.startswith("[]", i) or value.startswith("[^]", i):
                out.append("(?:)")
                i += 2 if value.startswith("[]", i) else 3
                continue
            in_class = True
            out.append(ch)
        elif ch == "(" and value.startswith("(?", i):
            rest = value[i + 2:]
            if rest.startswith((":", "=", "!")):
                out.append(value[i: i + 3])
                i += 3
                continue
            if rest.startswith(("<=", "<!")):
                out.append("(?" + ("=" if rest[1] == "=" else "!"))  # lookbehind may be variable-width
                i += 4
                continue
            if rest.startswith("<"):
                out.append("(?P<")
                i += 3
                continue
            return False
        else:
            out.append(ch)
        i += 1
    try:
        re.compile("".join(out))
    except (re.error, OverflowError, RecursionError):
        return False
    return True
