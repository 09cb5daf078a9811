"""Money as integer minor units of an ISO 4217 currency, read and shown with Babel.

A fee of 1,500.00 EUR is stored as 150000; 1,500 JPY as 1500 (the yen has
no minor unit); 12.345 KWD as 12345 (three). `parse_amount` reads what a
person typed ("1500", "1,500.00", "12.345") exactly (Decimal, never float)
and refuses more decimals than the currency has; `format_money` shows an
amount in a locale with the currency's own digits; `plain_amount` is the
locale-free decimal text used in JSON and CSV ("1500.00", "1500", "12.345").
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import lru_cache

DEFAULT_LOCALE = "en_US"


class MoneyError(ValueError):
    """An amount or a currency cannot be used; the message says why."""


@lru_cache(maxsize=64)
def minor_digits(currency: str) -> int:
    """How many minor-unit digits the currency has (USD 2, JPY 0, KWD 3)."""
    from babel.numbers import get_currency_precision

    return int(get_currency_precision(check_currency(currency)))


@lru_cache(maxsize=64)
def check_currency(code: str) -> str:
    """The upper-case ISO 4217 code, or MoneyError when Babel does not know it."""
    from babel.numbers import is_currency

    upper = code.strip().upper()
    if len(upper) != 3 or not is_currency(upper):
        raise MoneyError(f"{code!r} is not an ISO 4217 currency code (like EUR, USD, JPY, KWD)")
    return upper


def check_locale(name: str) -> str:
    """The locale name if Babel knows it, else MoneyError. The default is taken
    without importing Babel (tests/test_deals.py checks that Babel knows it), so
    a start with the default config does not load Babel before its first paint."""
    if name == DEFAULT_LOCALE:
        return name
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(name)
    except (UnknownLocaleError, ValueError, TypeError):
        raise MoneyError(
            f"{name!r} is not a locale Babel knows; use a name like en_US, de_DE or zh_CN"
        ) from None
    return name


def parse_amount(text: str, currency: str) -> int:
    """`text` (e.g. "1,500.00") as minor units of `currency`; MoneyError when it is not one."""
    digits = minor_digits(currency)
    cleaned = text.strip().replace(",", "").replace("_", "").replace(" ", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise MoneyError(f"{text!r} is not an amount; write it like 1500 or 1500.00") from None
    if not value.is_finite() or value < 0:
        raise MoneyError(f"{text!r} is not an amount of 0 or more")
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # finite
    if -exponent > digits and value != value.quantize(Decimal(1).scaleb(-digits)):
        unit = "no minor unit" if digits == 0 else f"{digits} decimal places"
        raise MoneyError(f"{text!r} has more decimals than {currency.upper()} allows ({unit})")
    return int(value.scaleb(digits))


def to_decimal(minor: int, currency: str) -> Decimal:
    """Minor units back to the exact amount (150000 EUR -> Decimal('1500.00'))."""
    digits = minor_digits(currency)
    return Decimal(minor).scaleb(-digits).quantize(Decimal(1).scaleb(-digits))


def plain_amount(minor: int, currency: str) -> str:
    """The amount as locale-free decimal text: "1500.00", "1500" (JPY), "12.345" (KWD)."""
    return str(to_decimal(minor, currency))


def format_money(minor: int, currency: str, locale: str = DEFAULT_LOCALE) -> str:
    """The amount as a person in `locale` writes it, with the currency's own digits."""
    from babel.numbers import format_currency

    return str(format_currency(to_decimal(minor, currency), currency.upper(), locale=locale))
