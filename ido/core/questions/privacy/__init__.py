"""The privacy guard: free text that holds a visitor's personal data is refused, never stored.

The text is first normalised the way people's typing varies (compatibility forms, digits of
any script, written-out e-mail addresses, odd spaces). Then e-mail addresses, IBANs, phone
numbers, postcodes with a house number and birth dates are found and blanked out; what is left
is tested for BSNs last, because digits inside a phone number or IBAN can pass the BSN 11-test
by chance. Every pattern is bounded, so a megabyte of text takes linear time."""

from ido.core.questions.privacy.guard import KINDS, personal_data_kinds, personal_data_message

__all__ = ["KINDS", "personal_data_kinds", "personal_data_message"]
