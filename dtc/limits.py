"""The longest answer each kind of free text takes, in characters. dtc.forms gives every
text box of a form NOTE (and every one-line text box TITLE) unless the form sets its own
max_length from here; the GOV.UK character count shows the limit as it is typed."""

# A name, a title or any one-line answer.
TITLE = 200
# A reason, a note, a summary: a paragraph or two.
NOTE = 2000
# A risk narrative or formulation: a few pages.
NARRATIVE = 10000
# The body of a clinical document or report.
DOCUMENT = 20000
