"""Merge signals.SignalRecipient into partners.Partner, and SignalRecipientUser into partners.PartnerUser.

"An outside organisation" used to be two models, and a partner account could be linked twice (once for
referrals, once for signals). After this migration there is one organisation model and one user link.
The rules, chosen so that no row, address, code or answered signal is lost:

1. Ownership. A recipient with `national` set (or without a library) becomes a national organisation
   (`organisation` empty); a local one keeps its library. The `organisation` of a national recipient had no
   effect (only the landelijk role could manage it), so dropping it changes nothing. A non-national recipient
   without a library (only possible through the admin) becomes national, so it is now also offered for
   national signals.
2. Matching. Each recipient maps to the social-map partner with the same owner that already pointed at it
   (`Partner.signal_recipient`), else to the partner with the same name (case-insensitive) and the same owner,
   else to a new partner that does not receive referrals (`receives_referrals` off, so the social map and the
   referral search stay as they were). The partner then receives signals: `receives_signals` on, the
   recipient's instantie codes added to `signal_codes`, and the recipient's address as `signal_email` (unless
   the partner already had one; if two recipients map onto one partner, the first address is kept and the
   other is printed).
3. Signals. `Signal.recipient` points to the partner the recipient mapped to.
4. Accounts. A SignalRecipientUser becomes the account's PartnerUser when it had none. When the account
   already had a PartnerUser for the same organisation, nothing changes. When it had a PartnerUser for a
   DIFFERENT organisation (one login spoke for two organisations), the referral link stays (it carries the
   referral work the account did), and the signals that were reported to the other recipient move to the
   account's organisation, so the account still sees and answers them. The fact that the report went to the
   other recipient stays in the status history ("Gemeld aan ...") and the audit log. The signals only move
   when no other account speaks for that recipient; otherwise they stay with it (its accounts answer them)
   and the move is printed.

The reverse migration rebuilds one SignalRecipient per partner that receives signals or has signals, and one
SignalRecipientUser per partner account of such a partner.
"""

from django.db import migrations


def _join(*values: str) -> str:
    codes = [c for value in values for c in (value or "").split("|") if c]
    codes = list(dict.fromkeys(codes))
    return f"|{'|'.join(codes)}|" if codes else ""


def _partner_for(apps, recipient):
    Partner = apps.get_model("partners", "Partner")
    owner_id = None if recipient.national else recipient.organisation_id
    partner = (Partner.objects.filter(signal_recipient_id=recipient.pk, organisation_id=owner_id).order_by("pk").first()
               or Partner.objects.filter(name__iexact=recipient.name.strip(), organisation_id=owner_id).order_by("pk").first())
    if partner is None:
        return Partner.objects.create(
            name=recipient.name, organisation_id=owner_id, receives_referrals=False, receives_signals=True,
            signal_email=recipient.email, signal_codes=_join(recipient.instantie_codes),
        )
    if partner.signal_email and recipient.email and partner.signal_email != recipient.email:
        print(f"\n  {partner.name}: signaaladres {recipient.email} van ontvanger {recipient.name} niet overgenomen"
              f" (blijft {partner.signal_email}).")
    partner.receives_signals = True
    partner.signal_codes = _join(partner.signal_codes, recipient.instantie_codes)
    partner.signal_email = partner.signal_email or recipient.email
    partner.save(update_fields=["receives_signals", "signal_codes", "signal_email"])
    return partner


def forward(apps, schema_editor):
    PartnerUser = apps.get_model("partners", "PartnerUser")
    Recipient = apps.get_model("signals", "SignalRecipient")
    RecipientUser = apps.get_model("signals", "SignalRecipientUser")
    Signal = apps.get_model("signals", "Signal")

    target = {}
    for recipient in Recipient.objects.order_by("pk"):
        partner = _partner_for(apps, recipient)
        target[recipient.pk] = partner
        Signal.objects.filter(recipient_id=recipient.pk).update(recipient_partner=partner)

    conflicts = []
    for link in RecipientUser.objects.order_by("pk"):
        partner = target[link.recipient_id]
        existing = PartnerUser.objects.filter(user_id=link.user_id).first()
        if existing is None:
            PartnerUser.objects.create(user_id=link.user_id, partner=partner)
        elif existing.partner_id != partner.pk:
            conflicts.append((link, existing))
    for link, existing in conflicts:
        partner = target[link.recipient_id]
        others = (RecipientUser.objects.filter(recipient_id=link.recipient_id).exclude(user_id=link.user_id).exists()
                  or PartnerUser.objects.filter(partner=partner).exists())
        if others:
            print(f"\n  Account {link.user_id}: blijft gekoppeld aan partner {existing.partner_id}; de signalen van"
                  f" {partner.name} blijven bij {partner.name}, want andere accounts beantwoorden ze.")
            continue
        Signal.objects.filter(recipient_id=link.recipient_id).update(recipient_partner_id=existing.partner_id)


def backward(apps, schema_editor):
    Partner = apps.get_model("partners", "Partner")
    PartnerUser = apps.get_model("partners", "PartnerUser")
    Recipient = apps.get_model("signals", "SignalRecipient")
    RecipientUser = apps.get_model("signals", "SignalRecipientUser")
    Signal = apps.get_model("signals", "Signal")

    with_signals = Signal.objects.exclude(recipient_partner=None).values_list("recipient_partner_id", flat=True)
    for partner in Partner.objects.filter(pk__in=list(with_signals)) | Partner.objects.filter(receives_signals=True):
        recipient = Recipient.objects.create(
            name=partner.name, email=partner.signal_email or partner.email, instantie_codes=partner.signal_codes or "|",
            national=partner.organisation_id is None, organisation_id=partner.organisation_id,
        )
        Partner.objects.filter(pk=partner.pk).update(signal_recipient=recipient)
        Signal.objects.filter(recipient_partner=partner).update(recipient=recipient)
        for link in PartnerUser.objects.filter(partner=partner):
            RecipientUser.objects.get_or_create(user_id=link.user_id, defaults={"recipient": recipient})


class Migration(migrations.Migration):

    dependencies = [
        ('partners', '0002_outside_organisation'),
        ('signals', '0002_signal_recipient_partner'),
    ]

    operations = [
        migrations.RunPython(forward, backward),
    ]
