"""What the residents app tells the apps built on it, which it does not import."""

from django.dispatch import Signal

# Sent by residents.services.resident_leave, inside its transaction, once the resident
# has left: resident, left_on and by (who recorded the leaving). A receiver ends what the
# stay held in its own app (a community job, say); an error undoes the leaving.
resident_left = Signal()
