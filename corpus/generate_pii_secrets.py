#!/usr/bin/env python3
"""Generate corpus/pii.jsonl and corpus/secrets.jsonl (deterministic, fixed seed).

    python3 corpus/generate_pii_secrets.py            # writes both files beside this script

Every value is synthetic.  Card numbers are random digits with a valid Luhn check digit (not
issued cards), IBANs are random account numbers with valid mod-97 check digits, SSNs are
random numbers that follow the SSA structure rules, phone numbers use reserved/fictional
ranges where a country has one (US 555-01xx, UK Ofcom drama ranges), and every token/key is
drawn from a seeded RNG: none of them is a real credential.

Schema of each line: {"id", "text", "label", "category", "split", "source"}; source is
"generated" for every record.  Splits are assigned as in tools/splits.py.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import string
import sys
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "tools"))
from splits import assign_splits, make_id  # noqa: E402

SEED = 424242
SOURCE = "generated"

# =============================================================================================
# helpers
# =============================================================================================

def luhn_check_digit(partial: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(partial)):
        d = int(ch)
        if i % 2 == 0:  # these positions are doubled once the check digit is appended
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def luhn_valid(number: str) -> bool:
    digits = [int(c) for c in number if c.isdigit()]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def rand_digits(rng, n):
    return "".join(rng.choice(string.digits) for _ in range(n))


def make_card(rng, brand):
    if brand == "visa":
        prefix, length = "4", 16
    elif brand == "mastercard":
        prefix, length = rng.choice([str(rng.randint(51, 55)), str(rng.randint(2221, 2720))]), 16
    elif brand == "amex":
        prefix, length = rng.choice(["34", "37"]), 15
    elif brand == "discover":
        prefix, length = "6011", 16
    else:
        raise ValueError(brand)
    body = prefix + rand_digits(rng, length - len(prefix) - 1)
    return body + luhn_check_digit(body)


def fmt_card(number, style):
    if len(number) == 15:  # Amex 4-6-5
        groups = [number[:4], number[4:10], number[10:]]
    else:
        groups = [number[i:i + 4] for i in range(0, len(number), 4)]
    return {"spaced": " ".join(groups), "dashed": "-".join(groups), "plain": number}[style]


def break_luhn(number):
    last = int(number[-1])
    return number[:-1] + str((last + 1 + (last % 3)) % 10)


def _be_bban(first10):
    """Belgian BBAN: 10 digits + national check (first 10 digits mod 97, 0 -> 97)."""
    c = int(first10) % 97 or 97
    return f"{first10}{c:02d}"


def _es_bban(bank_branch, account):
    """Spanish BBAN: bank(4) branch(4) control(2) account(10) with the CCC control digits."""
    w = [1, 2, 4, 8, 5, 10, 9, 7, 3, 6]

    def dc(ten):
        d = 11 - sum(int(x) * y for x, y in zip(ten, w)) % 11
        return {11: 0, 10: 1}.get(d, d)

    return f"{bank_branch}{dc('00' + bank_branch)}{dc(account)}{account}"


IBAN_FORMATS = {
    # country: (total length, BBAN generator)
    "DE": (22, lambda r: rand_digits(r, 18)),
    "GB": (22, lambda r: "".join(r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(4)) + rand_digits(r, 14)),
    "FR": (27, lambda r: rand_digits(r, 10) + "".join(r.choice(string.digits + "ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(11)) + rand_digits(r, 2)),
    "NL": (18, lambda r: "".join(r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(4)) + rand_digits(r, 10)),
    "ES": (24, lambda r: _es_bban(rand_digits(r, 8), rand_digits(r, 10))),
    "IT": (27, lambda r: r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") + rand_digits(r, 10) + rand_digits(r, 12)),
    "BE": (16, lambda r: _be_bban(r.choice(["001", "068", "310", "363", "735", "088"]) + rand_digits(r, 7))),
    "CH": (21, lambda r: rand_digits(r, 17)),
    "AT": (20, lambda r: rand_digits(r, 16)),
    "PL": (28, lambda r: rand_digits(r, 24)),
    "IE": (22, lambda r: "".join(r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(4)) + rand_digits(r, 14)),
    "SE": (24, lambda r: rand_digits(r, 20)),
}


def iban_check_digits(country, bban):
    rearranged = bban + country + "00"
    num = "".join(str(int(c, 36)) for c in rearranged)
    return f"{98 - int(num) % 97:02d}"


def iban_valid(iban):
    s = iban.replace(" ", "")
    r = s[4:] + s[:4]
    return int("".join(str(int(c, 36)) for c in r)) % 97 == 1


def make_iban(rng, country):
    length, gen = IBAN_FORMATS[country]
    bban = gen(rng)
    assert len(bban) == length - 4, (country, len(bban))
    return country + iban_check_digits(country, bban) + bban


def fmt_iban(iban, spaced):
    return " ".join(iban[i:i + 4] for i in range(0, len(iban), 4)) if spaced else iban


def make_ssn(rng):
    while True:
        area = rng.randint(1, 899)
        if area != 666:
            break
    return f"{area:03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"


def ssn_valid(ssn):
    a, g, s = ssn.split("-")
    return a not in ("000", "666") and not a.startswith("9") and g != "00" and s != "0000"


# =============================================================================================
# PII
# =============================================================================================

FIRST = ["anna", "ben", "carla", "dev", "elif", "farid", "greta", "hiro", "ines", "jonas", "kemal", "lena", "marco", "nadia",
         "oskar", "priya", "quentin", "rosa", "sven", "tamar", "uma", "victor", "wen", "yara", "zoe"]
LAST = ["schmidt", "okafor", "rossi", "nguyen", "kowalski", "garcia", "larsen", "tanaka", "dubois", "novak", "silva", "murphy",
        "haddad", "kim", "fischer", "moreau", "jensen", "ali", "costa", "berg"]
DOMAINS = ["gmail.com", "outlook.com", "yahoo.co.uk", "web.de", "orange.fr", "proton.me", "northwind-traders.com",
           "contoso.co", "fabrikam.io", "uni-hamburg.de", "mail.ru", "libero.it", "icloud.com", "hey.com", "acme-logistics.nl"]

EMAIL_SENTENCES = [
    "Please send the signed contract to {v} by Friday.",
    "You can reach me at {v} if anything changes.",
    "Customer contact: {v} (prefers email over phone).",
    "Reply-To: {v}",
    "I've added {v} to the shared folder so she can review the drafts.",
    "For billing questions write to {v}, not to the general inbox.",
    "New user registered: {v}, plan: Pro, country: DE.",
    "cc: {v}",
    "Mi correo es {v}, escríbeme cuando tengas novedades.",
    "Bitte schicken Sie die Rechnung an {v}.",
    "The password reset link was sent to {v} at 09:41.",
    "Forwarding this to {v} who owns the integration.",
]
PHONE_SENTENCES = [
    "Call me back on {v} after 5 pm.",
    "Delivery contact number: {v}",
    "Her mobile is {v}, but she's travelling until Monday.",
    "For urgent issues ring the on-call engineer at {v}.",
    "Tel.: {v} (Mo–Fr 9–17 Uhr)",
    "The customer left a voicemail from {v} about the late parcel.",
    "Please update my phone number to {v}.",
    "WhatsApp me on {v} once you've landed.",
    "Rufen Sie uns unter {v} an.",
    "Appelez le service client au {v}.",
]
CARD_SENTENCES = [
    "Please charge the deposit to my card {v}, expiry 08/27.",
    "Card number: {v}",
    "I paid with {v} but the order still shows as unpaid.",
    "The customer read out the card over the phone: {v}, CVV given separately.",
    "Billing details — card {v}, name on card M. Rossi.",
    "Can you refund the amount to {v}? That's the card I used.",
    "payment_method: card, number: {v}",
    "Use my company Amex {v} for the hotel booking.",
    "Kartennummer {v}, gültig bis 11/26.",
]
IBAN_SENTENCES = [
    "Please transfer the refund to {v}.",
    "Our bank details: IBAN {v}, BIC on the invoice.",
    "Salary account changed to {v} from next month.",
    "IBAN: {v}",
    "Kindly pay invoice 2024-118 to account {v}.",
    "Bitte überweisen Sie den Betrag auf {v}.",
    "Veuillez effectuer le virement sur le compte {v}.",
    "Beneficiary IBAN {v} — reference: order 5521.",
    "Rekeningnummer voor de terugbetaling: {v}.",
]
SSN_SENTENCES = [
    "Employee SSN: {v}",
    "My social security number is {v}, please update the tax form.",
    "Applicant: J. Miller, DOB 04/12/1986, SSN {v}.",
    "For the W-2 we need the SSN {v} confirmed by HR.",
    "The form listed SSN {v} under the dependant section.",
    "SSN on file ends with the full number {v}; please verify before payroll runs.",
    "ssn={v}&state=CA",
]


def phone_number(rng):
    kind = rng.randrange(8)
    if kind == 0:
        return f"+1 ({rng.choice([212, 415, 312, 617, 206])}) 555-01{rng.randint(0, 99):02d}"
    if kind == 1:
        return f"{rng.choice([202, 303, 512, 718])}-555-01{rng.randint(0, 99):02d}"
    if kind == 2:
        return f"+44 20 7946 0{rng.randint(0, 999):03d}"
    if kind == 3:
        return f"07700 900{rng.randint(0, 999):03d}"
    if kind == 4:
        return f"+49 30 {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
    if kind == 5:
        return f"+33 1 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
    if kind == 6:
        return f"+31 6 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"
    return f"+1{rng.choice([415, 646, 305])}55501{rng.randint(0, 99):02d}"


def email_address(rng):
    f, l, d = rng.choice(FIRST), rng.choice(LAST), rng.choice(DOMAINS)
    style = rng.randrange(6)
    local = [f"{f}.{l}", f"{f[0]}{l}", f"{f}_{l}{rng.randint(1, 99)}", f"{f}+invoices", f"{l}.{f}", f"{f.capitalize()}.{l.capitalize()}"][style]
    return f"{local}@{d}"


def gen_pii(rng):
    recs = []

    def add(text, label, cat):
        recs.append({"text": text, "label": label, "category": cat})

    for _ in range(30):
        add(rng.choice(EMAIL_SENTENCES).format(v=email_address(rng)), "pii", "email")
    for _ in range(30):
        add(rng.choice(PHONE_SENTENCES).format(v=phone_number(rng)), "pii", "phone")
    brands = ["visa", "mastercard", "amex", "discover"]
    styles = ["spaced", "dashed", "plain"]
    for i in range(32):
        n = make_card(rng, brands[i % 4])
        assert luhn_valid(n)
        s = rng.choice(CARD_SENTENCES)
        if "Amex" in s and brands[i % 4] != "amex":
            s = CARD_SENTENCES[0]
        add(s.format(v=fmt_card(n, styles[i % 3])), "pii", "card")
    countries = sorted(IBAN_FORMATS)
    for i in range(30):
        ib = make_iban(rng, countries[i % len(countries)])
        assert iban_valid(ib)
        add(rng.choice(IBAN_SENTENCES).format(v=fmt_iban(ib, i % 2 == 0)), "pii", "iban")
    for _ in range(30):
        ssn = make_ssn(rng)
        assert ssn_valid(ssn)
        add(rng.choice(SSN_SENTENCES).format(v=ssn), "pii", "ssn")

    # ---- negatives
    for i in range(24):
        n = break_luhn(make_card(rng, brands[i % 4]))
        assert not luhn_valid(n)
        t = rng.choice([
            "Tracking number {v} — your parcel is in transit.",
            "Reference: {v}",
            "Loyalty card no. {v}, points balance 1,240.",
            "Serial number of the device: {v}.",
            "Gift voucher code {v} (not a payment card).",
            "Card number: {v}",
            "Please check transaction id {v} in the ledger.",
        ]).format(v=fmt_card(n, styles[i % 3]))
        add(t, "clean", "card_invalid")
    for i in range(22):
        ib = make_iban(rng, countries[i % len(countries)])
        cd = int(ib[2:4])
        bad = ib[:2] + f"{(cd + rng.randint(1, 40)) % 97 + 2:02d}"[-2:] + ib[4:]
        if iban_valid(bad):
            bad = ib[:2] + f"{(cd + 50) % 97 + 2:02d}"[-2:] + ib[4:]
        assert not iban_valid(bad)
        add(rng.choice(IBAN_SENTENCES[:5] + ["Account reference {v} (internal ledger code)."]).format(v=fmt_iban(bad, i % 2 == 0)),
            "clean", "iban_invalid")
    for _ in range(22):
        t = rng.choice([
            "Your order #{a}-{b}-{c} has been dispatched.",
            "PO-{y}-{d5} approved by procurement.",
            "Invoice {y}/{m:02d}/{d4} is overdue by 14 days.",
            "Ticket INC{d7} was escalated to tier 2.",
            "Order number {d10} — estimated delivery Thursday.",
            "RMA {d4}-{d4b} issued for the faulty router.",
            "Booking reference {ref}, seat 14C.",
        ]).format(a=rand_digits(rng, 3), b=rand_digits(rng, 7), c=rand_digits(rng, 7), y=rng.randint(2019, 2025),
                  d5=rand_digits(rng, 5), m=rng.randint(1, 12), d4=rand_digits(rng, 4), d4b=rand_digits(rng, 4),
                  d7=rand_digits(rng, 7), d10=rand_digits(rng, 10),
                  ref="".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(6)))
        add(t, "clean", "order_number")
    months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
    for _ in range(20):
        y, m, d = rng.randint(1990, 2030), rng.randint(1, 12), rng.randint(1, 28)
        t = rng.choice([
            "The meeting is on {y}-{m:02d}-{d:02d} at 10:00.",
            "Date of issue: {d:02d}/{m:02d}/{y}",
            "Contract valid from {d:02d}.{m:02d}.{y} to {d:02d}.{m:02d}.{y2}.",
            "Released on {mn} {d}, {y}.",
            "Timestamp: {y}-{m:02d}-{d:02d}T{h:02d}:{mi:02d}:00Z",
            "Born {d} {mn} {y} in Porto.",
        ]).format(y=y, y2=y + 2, m=m, d=d, mn=months[m - 1], h=rng.randint(0, 23), mi=rng.randint(0, 59))
        add(t, "clean", "date")
    for _ in range(20):
        t = rng.choice([
            "Upgrade to version {a}.{b}.{c}.{d} to fix the crash.",
            "Firmware {a}.{b}.{c}-{d} is now available for the router.",
            "Build {y}.{m:02d}.{c} passed all checks.",
            "Kernel {a}.{b}.{c}-{d}-generic",
            "Windows 10 version 10.0.{b5}.{d4}",
            "Requires Python >= 3.{b} and pip {a}.{c}.",
            "The API moved from v{a}.{b} to v{a2}.0 in {y}.",
            "OID 1.3.6.1.4.1.{b5}.{c}.{d}",
            "Installed package version {a}.{p3}.555.{p4} on all kiosks.",
            "Driver {p3}.{p3b}.{p4} (release channel: stable)",
        ]).format(p3=rng.randint(200, 999), p3b=rng.randint(200, 999), p4=rng.randint(1000, 9999), a=rng.randint(1, 20), a2=rng.randint(21, 30), b=rng.randint(0, 99), c=rng.randint(0, 999), d=rng.randint(0, 9999),
                  b5=rng.randint(10000, 99999), d4=rng.randint(1000, 9999), y=rng.randint(2019, 2025), m=rng.randint(1, 12))
        add(t, "clean", "version_string")
    bad_ssns = []
    for _ in range(20):
        kind = rng.randrange(5)
        g, s = rng.randint(1, 99), rng.randint(1, 9999)
        if kind == 0:
            v = f"000-{g:02d}-{s:04d}"
        elif kind == 1:
            v = f"666-{g:02d}-{s:04d}"
        elif kind == 2:
            v = f"{rng.randint(900, 999)}-{g:02d}-{s:04d}"
        elif kind == 3:
            v = f"{rng.randint(1, 665):03d}-00-{s:04d}"
        else:
            v = f"{rng.randint(1, 665):03d}-{g:02d}-0000"
        assert not ssn_valid(v)
        bad_ssns.append(v)
        add(rng.choice(SSN_SENTENCES[:5] + ["Test fixture SSN {v} (deliberately invalid)."]).format(v=v), "clean", "ssn_invalid")
    ORD = [
        "The meeting has been moved to room 4.12 on the fourth floor.",
        "We sold 1,245 units in March, up 12% from February.",
        "The train leaves at 17:45 from platform 9.",
        "Please email the team if you have questions about the new expense policy.",
        "Call the front desk if you need extra towels.",
        "The recipe serves 4 and takes about 35 minutes.",
        "Our office is open Monday to Friday, 9 am to 5 pm.",
        "ISBN 978-0-306-40615-7 is the reference edition used in the course.",
        "Population: 3,645,000 (2023 estimate).",
        "The marathon record is 2:00:35, set in Chicago in 2023.",
        "The temperature dropped to -12 °C overnight.",
        "Flight LH 1234 departs from gate B22.",
        "Contact the support team through the help centre form.",
        "Batch 2024-17 of the product passed quality control.",
        "The password must be at least 12 characters long and contain a number.",
        "Route 66 is about 3,940 km long.",
        "Enter your phone number and email address in the form below.",
        "Account settings > Security > Two-factor authentication.",
        "The postcode for the venue is SW1A 1AA.",
        "Coordinates: 52.3676° N, 4.9041° E.",
    ]
    for t in ORD:
        add(t, "clean", "ordinary")
    return recs


# =============================================================================================
# secrets
# =============================================================================================

ALNUM = string.ascii_letters + string.digits
B64 = ALNUM + "+/"
B64URL = ALNUM + "-_"
UPPER_ALNUM = string.ascii_uppercase + string.digits


def rs(rng, alphabet, n):
    return "".join(rng.choice(alphabet) for _ in range(n))


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def pem_body(rng, nbytes):
    raw = bytes(rng.getrandbits(8) for _ in range(nbytes))
    b = base64.b64encode(raw).decode()
    return "\n".join(b[i:i + 64] for i in range(0, len(b), 64))


def gen_secrets(rng):
    recs = []

    def add(text, label, cat):
        recs.append({"text": text, "label": label, "category": cat})

    # ---- aws_key
    aws_tpl = [
        "export AWS_ACCESS_KEY_ID={k}\nexport AWS_SECRET_ACCESS_KEY={s}",
        "[default]\naws_access_key_id = {k}\naws_secret_access_key = {s}\nregion = eu-west-1",
        "Here are the creds for the staging bucket: {k} / {s}",
        "aws_access_key_id: {k}",
        "s3 = boto3.client('s3', aws_access_key_id='{k}', aws_secret_access_key='{s}')",
        "The deploy job failed, I think the key {k} was rotated last night.",
        "AWS_ACCESS_KEY_ID={k}",
        "\"AccessKeyId\": \"{k}\", \"SecretAccessKey\": \"{s}\"",
    ]
    for i in range(16):
        k = rng.choice(["AKIA", "ASIA"] if i % 5 == 4 else ["AKIA"]) + rs(rng, UPPER_ALNUM, 16)
        s = rs(rng, B64, 40)
        add(aws_tpl[i % len(aws_tpl)].format(k=k, s=s), "secret", "aws_key")

    # ---- github_token
    gh_tpl = [
        "git remote set-url origin https://{t}@github.com/acme/infra.git",
        "GITHUB_TOKEN={t}",
        "Authorization: token {t}",
        "Use this PAT for the CI runner: {t}",
        "gh auth login --with-token <<< {t}",
        "export GH_TOKEN=\"{t}\"",
        "token: {t}  # expires in 30 days",
        "curl -H \"Authorization: Bearer {t}\" https://api.github.com/user",
    ]
    prefixes = ["ghp_", "gho_", "ghs_", "ghu_", "ghr_"]
    for i in range(16):
        if i % 4 == 3:
            t = "github_pat_" + rs(rng, UPPER_ALNUM, 22) + "_" + rs(rng, ALNUM, 59)
        else:
            t = prefixes[i % 5] + rs(rng, ALNUM, 36)
        add(gh_tpl[i % len(gh_tpl)].format(t=t), "secret", "github_token")

    # ---- slack_token
    sl_tpl = [
        "SLACK_BOT_TOKEN={t}",
        "client = WebClient(token=\"{t}\")",
        "slack:\n  token: {t}\n  channel: '#alerts'",
        "The bot token is {t}, don't share it outside the team.",
        "curl -H 'Authorization: Bearer {t}' https://slack.com/api/auth.test",
        "webhook and token for the alerts app: {t}",
    ]
    for i in range(16):
        if i % 3 == 0:
            t = f"xoxb-{rand_digits(rng, 12)}-{rand_digits(rng, 13)}-{rs(rng, ALNUM, 24)}"
        elif i % 3 == 1:
            t = f"xoxp-{rand_digits(rng, 12)}-{rand_digits(rng, 12)}-{rand_digits(rng, 13)}-{rs(rng, '0123456789abcdef', 32)}"
        else:
            t = f"xoxa-2-{rand_digits(rng, 12)}-{rand_digits(rng, 13)}-{rs(rng, '0123456789abcdef', 64)}" if i % 2 else f"xoxb-{rand_digits(rng, 11)}-{rand_digits(rng, 12)}-{rs(rng, ALNUM, 24)}"
        add(sl_tpl[i % len(sl_tpl)].format(t=t), "secret", "slack_token")

    # ---- stripe_key
    st_tpl = [
        "STRIPE_SECRET_KEY={t}",
        "stripe.api_key = \"{t}\"",
        "const stripe = require('stripe')('{t}');",
        "Live key for the checkout service: {t}",
        "stripe:\n  secret_key: {t}\n  webhook_tolerance: 300",
        "curl https://api.stripe.com/v1/charges -u {t}:",
    ]
    for i in range(16):
        pre = ["sk_live_", "sk_test_", "rk_live_", "sk_live_"][i % 4]
        t = pre + rs(rng, ALNUM, rng.choice([24, 34, 99]))
        add(st_tpl[i % len(st_tpl)].format(t=t), "secret", "stripe_key")

    # ---- google_api_key
    gg_tpl = [
        "GOOGLE_MAPS_API_KEY={t}",
        "<script src=\"https://maps.googleapis.com/maps/api/js?key={t}&callback=initMap\"></script>",
        "firebaseConfig = {{ apiKey: \"{t}\", authDomain: \"demo-app.firebaseapp.com\" }};",
        "The YouTube Data API key is {t}.",
        "gemini:\n  api_key: {t}",
        "curl \"https://www.googleapis.com/books/v1/volumes?q=rust&key={t}\"",
    ]
    for i in range(16):
        t = "AIza" + rs(rng, B64URL, 35)
        add(gg_tpl[i % len(gg_tpl)].format(t=t), "secret", "google_api_key")

    # ---- private_key
    kinds = ["RSA PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY", "PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "DSA PRIVATE KEY"]
    pk_intro = ["", "Here's the deploy key, add it to the server:\n", "id_rsa:\n", "key.pem contents:\n", "ssh_private_key: |\n", "Pasting the key so you can debug the TLS issue:\n"]
    for i in range(16):
        kind = kinds[i % len(kinds)]
        body = pem_body(rng, rng.choice([180, 240, 300, 400]))
        if kind == "OPENSSH PRIVATE KEY":
            body = "b3BlbnNzaC1rZXktdjEAAAAA" + body[24:]
        block = f"-----BEGIN {kind}-----\n{body}\n-----END {kind}-----"
        intro = pk_intro[i % len(pk_intro)]
        if intro.endswith("|\n"):
            block = "\n".join("  " + l for l in block.splitlines())
        add(intro + block, "secret", "private_key")

    # ---- jwt
    jwt_tpl = [
        "Authorization: Bearer {t}",
        "access_token={t}",
        "Cookie: session={t}; Path=/; HttpOnly",
        "My token stopped working: {t}",
        "{{\"token\": \"{t}\", \"expires_in\": 3600}}",
        "localStorage.setItem('jwt', '{t}');",
    ]
    for i in range(16):
        alg = rng.choice(["HS256", "RS256", "ES256", "HS512"])
        header = b64url(json.dumps({"alg": alg, "typ": "JWT"}, separators=(",", ":")).encode())
        claims = {"sub": str(rng.randint(1000, 999999)), "name": rng.choice(FIRST).capitalize(), "iat": 1700000000 + rng.randint(0, 9999999),
                  "exp": 1800000000 + rng.randint(0, 9999999), "role": rng.choice(["user", "admin", "editor"])}
        payload = b64url(json.dumps(claims, separators=(",", ":")).encode())
        sig = b64url(bytes(rng.getrandbits(8) for _ in range(32 if alg.startswith("HS2") else 64)))
        add(jwt_tpl[i % len(jwt_tpl)].format(t=f"{header}.{payload}.{sig}"), "secret", "jwt")

    # ---- high_entropy
    he_tpl = [
        "password = \"{v}\"",
        "api_secret: {v}",
        "DB_PASSWORD={v}",
        "client_secret = '{v}'",
        "\"secret_key\": \"{v}\",",
        "SECRET_KEY = '{v}'",
        "webhook_signing_secret: \"{v}\"",
        "encryption_key={v}",
        "<add key=\"ApiSecret\" value=\"{v}\" />",
        "spring.datasource.password={v}",
    ]
    for i in range(16):
        n = rng.randint(32, 64)
        v = rs(rng, "0123456789abcdef", n) if i % 3 == 0 else rs(rng, B64, n)
        add(he_tpl[i % len(he_tpl)].format(v=v), "secret", "high_entropy")

    # =========================== negatives
    for i in range(16):
        u = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        add(rng.choice([
            "request_id={u} status=200 duration_ms=41",
            "Correlation ID: {u}",
            "The order {u} was created at 10:02.",
            "\"id\": \"{u}\", \"type\": \"invoice\"",
            "Tenant {u} exceeded its storage quota.",
            "Please include the trace id {u} when you contact support.",
        ]).format(u=u), "clean", "uuid")
    for i in range(16):
        sha = rs(rng, "0123456789abcdef", 40)
        add(rng.choice([
            "Fixed in commit {s}, released in 2.3.1.",
            "Bisecting points to {s} as the first bad commit.",
            "Reverted {h} because it broke the Windows build.",
            "Cherry-pick {h} onto the release branch, please.",
            "The tag v1.8.0 points to {s}.",
            "See {h} for the refactor of the parser.",
            "HEAD is now at {h} Update README",
        ]).format(s=sha, h=sha[:rng.choice([7, 8, 10, 12])]), "clean", "git_sha")
    words = ["hello world", "The quick brown fox jumps over the lazy dog", "user:guest", "Meeting notes for Tuesday", "{\"page\":2,\"size\":50}",
             "lorem ipsum dolor sit amet", "Bonjour tout le monde", "cursor:eyJpZCI6MTJ9", "Happy birthday!", "invoice-2024-0042",
             "This is a test file.", "{\"alg\":\"none\"}", "red,green,blue", "shopping list: eggs, milk", "version=3", "ok"]
    for i, w in enumerate(words):
        b = base64.b64encode(w.encode()).decode()
        add(rng.choice([
            "data:text/plain;base64,{b}",
            "The pagination cursor is {b}.",
            "echo '{b}' | base64 -d",
            "Content-Transfer-Encoding: base64\n\n{b}",
            "next_page_token: \"{b}\"",
            "The test fixture encodes the greeting as {b}.",
        ]).format(b=b), "clean", "base64_words")
    for i in range(16):
        k = i % 4
        if k == 0:
            add(f"-----BEGIN PUBLIC KEY-----\n{pem_body(rng, 162)}\n-----END PUBLIC KEY-----", "clean", "public_key")
        elif k == 1:
            add(f"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA{rs(rng, B64, 44)} {rng.choice(FIRST)}@laptop", "clean", "public_key")
        elif k == 2:
            add(f"Add this to authorized_keys:\nssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ{rs(rng, B64, 340)} deploy@ci", "clean", "public_key")
        else:
            add(f"-----BEGIN CERTIFICATE-----\n{pem_body(rng, 420)}\n-----END CERTIFICATE-----", "clean", "public_key")
    placeholders = [
        "AWS_ACCESS_KEY_ID=AKIAXXXXXXXXXXXXXXXX",
        "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "stripe.api_key = \"sk_test_your_key_here\"",
        "GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "SLACK_BOT_TOKEN=xoxb-your-bot-token",
        "api_key: <YOUR_API_KEY>",
        "password = \"changeme\"",
        "export OPENAI_API_KEY=\"sk-...\"  # paste your key here",
        "GOOGLE_API_KEY=AIza...your-key...",
        "token: ${GITHUB_TOKEN}",
        "DB_PASSWORD=${DB_PASSWORD:?must be set}",
        "client_secret = \"REPLACE_ME\"",
        "-----BEGIN RSA PRIVATE KEY-----\n<your private key here>\n-----END RSA PRIVATE KEY-----",
        "Authorization: Bearer <token>",
        "secret_key = os.environ[\"SECRET_KEY\"]",
        "STRIPE_SECRET_KEY=sk_live_************************ (redacted)",
    ]
    for p in placeholders:
        add(p, "clean", "placeholder")
    configs = [
        "timeout = 30\nretries = 3\nlog_level = \"info\"",
        "password_min_length: 12\npassword_require_symbol: true",
        "secret_name: prod/db-credentials  # resolved by the secrets manager at runtime",
        "api_key_env: OPENAI_API_KEY",
        "[server]\nhost = \"0.0.0.0\"\nport = 8080\nworkers = 4",
        "session_cookie_secure = true\nsession_cookie_samesite = \"Lax\"",
        "token_ttl_seconds: 3600\nrefresh_token_ttl_days: 30",
        "KEY_ROTATION_DAYS=90",
        "auth:\n  provider: oidc\n  issuer: https://login.example.com\n  client_id: dashboard-web",
        "jwt_algorithm = \"RS256\"\njwt_audience = \"api.example.com\"",
        "cache_key_prefix: \"v3:catalog:\"",
        "ssh_key_path = \"~/.ssh/id_ed25519\"",
        "public_key_url: https://auth.example.com/.well-known/jwks.json",
        "secrets:\n  backend: vault\n  path: kv/data/payments",
        "github_app_id = 123456\ngithub_installation_id = 7890123",
        "encryption = \"aes-256-gcm\"\nkey_source = \"kms\"",
    ]
    for c in configs:
        add(c, "clean", "config_line")
    for i in range(16):
        k = i % 4
        if k == 0:
            h = base64.b64encode(bytes(rng.getrandbits(8) for _ in range(64))).decode()
            name = rng.choice(["lodash", "react-dom", "chalk", "semver", "debug", "ms"])
            add(f"\"node_modules/{name}\": {{\n  \"version\": \"{rng.randint(1, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}\",\n  \"integrity\": \"sha512-{h}\"\n}}",
                "clean", "lockfile_hash")
        elif k == 1:
            name = rng.choice(["serde", "tokio", "regex", "anyhow", "clap", "rand"])
            add(f"[[package]]\nname = \"{name}\"\nversion = \"1.{rng.randint(0, 40)}.{rng.randint(0, 9)}\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"{rs(rng, '0123456789abcdef', 64)}\"",
                "clean", "lockfile_hash")
        elif k == 2:
            name = rng.choice(["requests", "numpy", "click", "idna"])
            add(f"{name}==2.{rng.randint(0, 32)}.{rng.randint(0, 5)} \\\n    --hash=sha256:{rs(rng, '0123456789abcdef', 64)} \\\n    --hash=sha256:{rs(rng, '0123456789abcdef', 64)}",
                "clean", "lockfile_hash")
        else:
            h = base64.b64encode(bytes(rng.getrandbits(8) for _ in range(32))).decode()
            add(f"golang.org/x/{rng.choice(['net', 'sys', 'text', 'crypto'])} v0.{rng.randint(1, 30)}.0 h1:{h}", "clean", "lockfile_hash")
    ordinary = [
        "The secret to a good sourdough is patience and a lively starter.",
        "Keys are in the top drawer, next to the spare batteries.",
        "Please rotate your password every 90 days as required by policy.",
        "The token ring network was popular in the 1980s.",
        "Use the API key from the password manager; never paste it into chat.",
        "Our public key fingerprint is published on the security page.",
        "The access code for the bike shed is on the noticeboard.",
        "Tokens are the basic units of text that a language model processes.",
        "The private key never leaves the hardware security module.",
        "The deployment uses short-lived credentials issued by the identity provider.",
        "Remember to revoke the old token after migrating to the new CI.",
        "Stripe sends a signature header with every webhook; verify it before processing.",
        "Slack reminders: standup at 9:30, retro on Friday.",
        "GitHub Actions now supports OIDC, so you no longer need long-lived cloud keys.",
        "The lock file pins exact versions so that builds are reproducible.",
        "Commit messages should explain why a change was made, not just what changed.",
    ]
    for t in ordinary:
        add(t, "clean", "ordinary")
    return recs


# =============================================================================================

def finalize(recs, prefix):
    out, seen = [], set()
    for r in recs:
        if r["text"] in seen:
            continue
        seen.add(r["text"])
        r["source"] = SOURCE
        r["id"] = make_id(prefix, r["category"], r["text"])
        out.append(r)
    assign_splits(out)
    return out


def write(path, recs):
    with open(path, "w", encoding="utf-8") as f:
        for r in recs:
            f.write(json.dumps({k: r[k] for k in ("id", "text", "label", "category", "split", "source")}, ensure_ascii=False) + "\n")


def main():
    pii = finalize(gen_pii(random.Random(SEED)), "pii")
    sec = finalize(gen_secrets(random.Random(SEED + 1)), "sec")
    write(HERE / "pii.jsonl", pii)
    write(HERE / "secrets.jsonl", sec)
    print(f"pii.jsonl: {len(pii)} records; secrets.jsonl: {len(sec)} records")


if __name__ == "__main__":
    main()
